import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { attestationOf } from "../../src/relief/attestations.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, required, runTask, session } from "../common.js";
import { keyOf } from "./common.js";

export default async function (
  a: { idNumber: string; key: string; kind?: string; evidenceFile: string; evidenceHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const kind = attestationOf(required("--kind", a.kind));
    const { key, shown } = await keyOf(hre, a);
    const evidence = await requiredDocumentHash(
      "evidence",
      { file: a.evidenceFile, hash: a.evidenceHash },
      "attestation's evidence",
      "evidence",
    );
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.attest(s.deployment, s.signer, key, kind.kind, evidence, s.overrides);
    console.log(`${shown}: attested ${kind.zh} (${kind.en}) ${mined(w)}`);
  });
}
