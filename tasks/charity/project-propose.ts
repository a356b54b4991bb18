import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposeProject } from "../../src/charity/ledger.js";
import { documentHash } from "../../src/hash.js";
import { nameCharityProject, parseName } from "../../src/names/ledger.js";
import { openSession, runTask, amountOption, mined, yuan } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  project: string;
  target?: string;
  permitFile: string;
  permitHash: string;
  metadataFile: string;
  name: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const targetFen = amountOption("--target", args.target);
    const permitHash = await docHash("permit", args.permitFile, args.permitHash);
    const metadataHash = await documentHash("metadata hash", { file: args.metadataFile });
    const name = args.name.trim() === "" ? undefined : parseName(args.name, "--name");
    const s = await openSession(hre, args.from);
    const w = await proposeProject(
      s.deployment,
      s.signer,
      { code: args.project, targetFen, permitHash, metadataHash },
      s.overrides,
    );
    console.log(`proposed project ${args.project.trim()} (${w.value}), target ${yuan(targetFen)}, ${mined(w)}`);
    if (name !== undefined) {
      const n = await nameCharityProject(s.deployment, s.signer, w.value, name, s.overrides);
      console.log(`named it ${name} ${mined(n)}`);
    }
  });
}
