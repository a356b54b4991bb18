import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { approveProject, closeProject, resolveProject } from "../../src/charity/ledger.js";
import { openSession, runTask, mined } from "../common.js";

/** Shared body of `charity project approve` and `charity project close`. */
export function projectStatusAction(to: "approve" | "close") {
  return async (args: { project: string; from: string }, hre: HardhatRuntimeEnvironment) =>
    runTask(async () => {
      const s = await openSession(hre, args.from);
      const projectId = await resolveProject(s.deployment, args.project, s.signer.address);
      const write = to === "approve" ? approveProject : closeProject;
      const w = await write(s.deployment, s.signer, projectId, s.overrides);
      console.log(`${to === "approve" ? "approved" : "closed"} project ${args.project} (${projectId}) ${mined(w)}`);
    });
}
