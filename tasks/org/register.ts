import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { documentHash } from "../../src/hash.js";
import { registerOrganisation, validateRegistration } from "../../src/registry.js";
import { openSession, required, runTask } from "../common.js";
import { describeWrite } from "./format.js";

interface Args {
  account?: string;
  kind?: string;
  name?: string;
  creditCode?: string;
  metadataFile: string;
  metadataHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const metadataHash = await documentHash("metadata hash", { file: args.metadataFile, hash: args.metadataHash });
    // Validate everything before connecting: nothing is sent when input is wrong.
    const input = validateRegistration({
      account: required("--account", args.account),
      kind: required("--kind", args.kind),
      name: required("--name", args.name),
      creditCode: required("--credit-code", args.creditCode),
      metadataHash,
    });
    const s = await openSession(hre, args.from);
    const write = await registerOrganisation(s.deployment, s.signer, { ...input, kind: input.kind.kind }, s.overrides);
    console.log(describeWrite("registered", write));
  });
}
