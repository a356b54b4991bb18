import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { projectIdOf } from "../../src/charity/ids.js";
import { requireProject } from "../../src/charity/ledger.js";
import { getOrganisation } from "../../src/registry.js";
import { openReader, runTask } from "../common.js";
import { yuan } from "./common.js";

export default async function (args: { project: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await requireProject(d, projectIdOf(args.project));
    const charity = await getOrganisation(d, p.charity);
    if (args.json) {
      console.log(
        JSON.stringify({ ...p, charityName: charity?.name }, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
      );
      return;
    }
    console.log(`${args.project} (${p.projectId})
  charity      ${charity?.name ?? "?"} ${p.charity}
  status       ${p.status}
  target       ${yuan(p.target)}
  received     ${yuan(p.received)} in ${p.donationCount} donations
  granted in   ${yuan(p.inflow - p.received)}
  disbursed    ${yuan(p.disbursed)}
  reversed     ${yuan(p.reversed)}
  granted out  ${yuan(p.outflow - p.disbursed - p.reversed)}
  available    ${yuan(p.available)}`);
  });
}
