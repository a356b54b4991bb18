import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { documentHash } from "../../src/hash.js";
import { parseAddress, reinstateOrganisation, suspendOrganisation } from "../../src/registry.js";
import { openSession, runTask } from "../common.js";
import { describeWrite } from "./format.js";

export interface StatusArgs {
  account: string;
  reasonFile: string;
  reasonHash: string;
  from: string;
}

/** Shared body of `org suspend` and `org reinstate`. */
export function changeStatus(to: "suspend" | "reinstate") {
  return async (args: StatusArgs, hre: HardhatRuntimeEnvironment) =>
    runTask(async () => {
      const account = parseAddress("account", args.account);
      const reason = await documentHash("reason hash", { file: args.reasonFile, hash: args.reasonHash });
      const s = await openSession(hre, args.from);
      const write =
        to === "suspend"
          ? await suspendOrganisation(s.deployment, s.signer, account, reason, s.overrides)
          : await reinstateOrganisation(s.deployment, s.signer, account, reason, s.overrides);
      console.log(describeWrite(to === "suspend" ? "suspended" : "reinstated", write));
    });
}
