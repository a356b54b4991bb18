import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { attestationOf } from "../../src/relief/attestations.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, required, runTask, session } from "../common.js";
import { keyOf } from "./common.js";

export default async function (
  a: { idNumber: string; key: string; kind?: string; reasonFile: string; reasonHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const kind = attestationOf(required("--kind", a.kind));
    const { key, shown } = await keyOf(hre, a);
    const reason = await requiredDocumentHash(
      "reason",
      { file: a.reasonFile, hash: a.reasonHash },
      "revocation decision",
      "reason",
    );
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.revokeAttestation(s.deployment, s.signer, key, kind.kind, reason, s.overrides);
    console.log(`${shown}: ${kind.zh} (${kind.en}) revoked ${mined(w)}`);
  });
}
