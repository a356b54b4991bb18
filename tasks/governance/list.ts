import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { printTable } from "../../src/format.js";
import { listOperations } from "../../src/governance/operations.js";
import { jsonText, openReader, runTask } from "../common.js";

export default async function (args: { all: boolean; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const ops = (await listOperations(d)).filter((o) => args.all || o.status === "waiting" || o.status === "ready");
    if (args.json) {
      console.log(jsonText(ops));
      return;
    }
    if (ops.length === 0) {
      console.log(
        args.all
          ? "the council has scheduled nothing"
          : "no operation is waiting (--all lists executed and cancelled ones)",
      );
      return;
    }
    printTable(
      ["id", "status", "ready at", "proposer", "what"],
      ops.map((o) => [
        o.id.slice(0, 10),
        o.status,
        new Date(Number(o.readyAt) * 1000).toISOString(),
        o.proposerName ?? o.proposer,
        `${o.description.zh} / ${o.description.en}`,
      ]),
    );
    const open = ops.filter((o) => o.cancellers.length > 0);
    if (open.length > 0) console.log(`may still cancel the waiting ones: ${open[0]!.cancellers.join(", ")}`);
  });
}
