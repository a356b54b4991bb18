import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { resolveProject } from "../../src/charity/ledger.js";
import { goodsLots } from "../../src/charity/goods.js";
import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";

/** `charity goods lots <project>`: the project's donations in kind and where each went. */
export default async function (a: { project: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const projectId = await resolveProject(d, a.project);
    const lots = await goodsLots(d, projectId);
    if (a.json) return console.log(jsonText({ projectId, lots }));
    if (lots.length === 0) return console.log(`project ${a.project.trim()} has no goods lots`);
    const nameOf = await organisationNamer(d);
    printTable(
      ["lot", "item", "quantity", "valuation", "dispatched", "remaining", "status"],
      lots.map((l) => [
        l.lotId,
        l.itemCode,
        `${l.quantity} ${l.unit}`,
        yuan(l.valuation),
        `${l.dispatched} ${l.unit}`,
        `${l.remaining} ${l.unit}`,
        l.reversed ? "reversed" : l.remaining === 0n ? "all dispatched" : "in stock",
      ]),
    );
    const handovers = lots.flatMap((l) => l.dispatches.map((x) => ({ l, x })));
    if (handovers.length > 0) {
      console.log("\ndispatches");
      printTable(
        ["dispatch", "lot", "to", "quantity", "receipt"],
        handovers.map(({ l, x }) => [
          x.dispatchId,
          l.lotId.slice(0, 10),
          nameOf(x.recipient),
          `${x.quantity} ${l.unit}`,
          x.confirmed ? "confirmed" : "not yet confirmed",
        ]),
      );
    }
  });
}
