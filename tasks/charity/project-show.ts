import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireProject, resolveProject } from "../../src/charity/ledger.js";
import { projectOutflows } from "../../src/charity/trace.js";
import { requireCharity } from "../../src/deployment.js";
import { listOrganisations } from "../../src/registry.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";

export default async function (args: { project: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await requireProject(d, await resolveProject(d, args.project));
    const ledger = requireCharity(d);
    const latest = await ledger.runner!.provider!.getBlockNumber();
    const outflows = await projectOutflows(ledger, p.projectId, 0, latest);
    const names = new Map((await listOrganisations(d)).map((o) => [o.account, o.name]));
    const charity = { name: names.get(p.charity) };
    if (args.json) {
      console.log(jsonText({ ...p, charityName: charity?.name }));
      return;
    }
    console.log(`${args.project} (${p.projectId})
  charity      ${charity.name ?? "?"} ${p.charity}
  status       ${p.status}
  target       ${yuan(p.target)}
  received     ${yuan(p.received)} in ${p.donationCount} donations
  granted in   ${yuan(p.inflow - p.received)}
  disbursed    ${yuan(p.disbursed)}
  reversed     ${yuan(p.reversed)}
  granted out  ${yuan(p.outflow - p.disbursed - p.reversed)}
  available    ${yuan(p.available)}`);
    if (outflows.length > 0) console.log("  outflows");
    for (const o of outflows) {
      const to = o.kind === "disbursement" ? (names.get(o.recipient ?? "") ?? o.recipient) : o.id;
      const state = o.kind === "disbursement" ? (o.confirmed === true ? "confirmed" : "PENDING confirmation") : "";
      console.log(`    ${o.kind.padEnd(12)} ${yuan(o.amount).padStart(16)}  ${to}  ${state}`.trimEnd());
    }
  });
}
