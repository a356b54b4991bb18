import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, organisationOption, runTask, session } from "../common.js";
import { type DocArgs, programmeOf } from "./common.js";

/** A holder accepts `--parent` above it (its consent before `--parent` allocates to it). */
export default async function (
  a: { programme: string; parent: string; from: string } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const doc = await requiredDocumentHash(
      "acceptance document",
      { file: a.documentFile, hash: a.documentHash },
      "acceptance document (接收资金确认)",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const parent = await organisationOption(s.deployment, "--parent", a.parent);
    const holder = await s.signer.getAddress();
    const w = await ledger.setParent(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, holder, parent: parent.account, documentHash: doc },
      s.overrides,
    );
    console.log(`accepted ${parent.name} as the holder above in ${a.programme.trim()} ${mined(w)}`);
  });
}
