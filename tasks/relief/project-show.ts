import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { organisationNamer } from "../../src/registry.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";
import { projectOf } from "./common.js";

export default async function (a: { code: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const j = await projectOf(d, a.code);
    if (a.json) return console.log(jsonText(j));
    const nameOf = await organisationNamer(d);
    console.log(`project ${a.code.trim()} (${j.projectId}): ${j.status}`);
    console.log(`  programme     ${j.programmeId}`);
    console.log(`  funded by     ${nameOf(j.holder)}`);
    console.log(`  implementer   ${nameOf(j.implementer)}`);
    console.log(`  budget        ${yuan(j.budget)}; funded ${yuan(j.funded)}, paid ${yuan(j.paid)}`);
    console.log(
      `  balance       ${yuan(j.available)} available, ${yuan(j.reserved)} proposed, ${yuan(j.returned)} returned`,
    );
    console.log(
      `  milestones    ${j.milestonesSubmitted.length} of ${j.milestoneCount} submitted (${j.milestonesSubmitted.map((i) => i + 1).join(", ") || "none"})`,
    );
  });
}
