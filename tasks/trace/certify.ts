import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session } from "../common.js";
import { parseValidUntil, time } from "./common.js";

export default async function (
  a: { batch: string; fail: boolean; validUntil: string; reportFile: string; reportHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const reportHash = await requiredDocumentHash(
      "report hash",
      { file: a.reportFile, hash: a.reportHash },
      "inspection report",
      "report",
    );
    let validUntil = 0n;
    if (!a.fail) validUntil = parseValidUntil("--valid-until", required("--valid-until", a.validUntil));
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.certify(
      s.deployment,
      s.signer,
      id,
      { passed: !a.fail, validUntil, reportHash },
      s.overrides,
    );
    console.log(`${a.fail ? "FAILED" : `passed until ${time(validUntil)}`}: ${a.batch.trim()} ${mined(w)}`);
  });
}
