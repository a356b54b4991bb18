import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, organisationOption, runTask, session } from "../common.js";
import { type DocArgs, programmeOf } from "./common.js";

/** The programme's finance re-attaches `--holder` under `--parent`. */
export default async function (
  a: { programme: string; holder: string; parent: string; from: string } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const doc = await requiredDocumentHash(
      "decision",
      { file: a.documentFile, hash: a.documentHash },
      "decision re-attaching the holder",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const holder = await organisationOption(s.deployment, "--holder", a.holder);
    const parent = await organisationOption(s.deployment, "--parent", a.parent);
    const w = await ledger.setParent(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, holder: holder.account, parent: parent.account, documentHash: doc },
      s.overrides,
    );
    console.log(`${holder.name} now receives ${a.programme.trim()} from ${parent.name} ${mined(w)}`);
  });
}
