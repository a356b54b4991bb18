import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { parseBytes32, requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { SEVERITIES, TARGET_KINDS, parseSeverity, parseTargetKind } from "../../src/relief/vocabulary.js";
import { mined, organisationOption, required, runTask, session, positiveInt } from "../common.js";
import { type DocArgs, keyOf } from "./common.js";

export default async function (
  a: {
    targetKind?: string;
    target: string;
    idNumber: string;
    respondent?: string;
    severity?: string;
    from: string;
  } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const kindIndex = parseTargetKind(required("--target-kind", a.targetKind));
    const kind = TARGET_KINDS[kindIndex]!;
    const severity = parseSeverity(required("--severity", a.severity));
    const doc = await requiredDocumentHash(
      "finding document",
      { file: a.documentFile, hash: a.documentHash },
      "finding document",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    let target: string;
    if (kind === "beneficiary") {
      target = (await keyOf(hre, { idNumber: a.idNumber, key: a.target })).key;
    } else if (kind === "allocation") {
      target = `0x${BigInt(positiveInt("--target", a.target)).toString(16).padStart(64, "0")}`;
    } else if (kind === "disbursement") {
      target = parseBytes32("--target", required("--target", a.target));
    } else if (kind === "programme") {
      target = await ledger.resolveProgramme(s.deployment, required("--target", a.target));
    } else {
      target = await ledger.resolveProject(s.deployment, required("--target", a.target));
    }
    const respondent = await organisationOption(s.deployment, "--respondent", a.respondent);
    const w = await ledger.recordFinding(
      s.deployment,
      s.signer,
      { targetKind: kindIndex, target, respondent: respondent.account, severity, documentHash: doc },
      s.overrides,
    );
    console.log(
      `finding ${w.value} (${SEVERITIES[severity]}) on ${kind} ${target}; ${respondent.name} must answer ${mined(w)}`,
    );
  });
}
