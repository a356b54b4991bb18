import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { organisationNamer } from "../../src/registry.js";
import { SEVERITIES } from "../../src/relief/vocabulary.js";
import { programmeTree, type TreeNode } from "../../src/relief/tree.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";
import { programmeOf } from "./common.js";

export default async function (a: { programme: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await programmeOf(d, a.programme);
    const t = await programmeTree(d, p.programmeId);
    if (a.json) return console.log(jsonText(t));
    const nameOf = await organisationNamer(d);
    // Beneficiaries (households) and projects counted apart: one project is not one household.
    const toBeneficiaries = t.nodes.reduce((s, n) => s + n.payments.amount, 0n);
    const paidProjects = t.projects.filter((j) => j.paid > 0n);
    const toProjects = paidProjects.reduce((s, j) => s + j.paid, 0n);
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    console.log(
      `programme ${a.programme.trim()}: appropriated ${yuan(p.appropriated)}, disbursed ${yuan(p.disbursed)} (${yuan(toBeneficiaries)} to ${count(t.totals.beneficiaries, "beneficiary household", "beneficiary households")}, ${yuan(toProjects)} to ${count(paidProjects.length, "project", "projects")}), ${yuan(t.totals.available)} unspent, ${yuan(t.totals.reserved)} awaiting approval`,
    );
    const print = (n: TreeNode) => {
      const h = n.holding;
      const pad = "  ".repeat(n.depth + 1);
      const paid =
        n.payments.payments > 0 || n.payments.pending > 0
          ? `; paid ${n.payments.beneficiaries} beneficiaries ${yuan(n.payments.amount)}${n.payments.pending > 0 ? `, ${n.payments.pending} pending ${yuan(n.payments.pendingAmount)}` : ""}`
          : "";
      console.log(
        `${pad}${nameOf(h.holder)}: received ${yuan(n.depth === 0 ? p.appropriated : h.received)}, passed on ${yuan(h.allocated)}, returned ${yuan(h.returned)}, available ${yuan(h.available)}${paid}`,
      );
      for (const j of n.projects) {
        console.log(
          `${pad}  project ${j.projectId.slice(0, 10)}… by ${nameOf(j.implementer)} (${j.status}): budget ${yuan(j.budget)}, funded ${yuan(j.funded)}, paid ${yuan(j.paid)} for ${j.milestonesSubmitted.length}/${j.milestoneCount} milestones, returned ${yuan(j.returned)}`,
        );
      }
      n.children.forEach(print);
    };
    print(t.root);
    for (const f of t.findings) {
      console.log(
        `  finding ${f.findingId} (${SEVERITIES[f.severity]}, ${f.status}) on ${f.targetKind} ${f.target.slice(0, 10)}…: ${nameOf(f.respondent)} to answer`,
      );
    }
  });
}
