import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { exportEpcis, factsOf } from "../../src/trace/epcis/export.js";
import { batchHistory } from "../../src/trace/history.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { openReader, runTask } from "../common.js";

export default async function (
  a: { batch: string; out: string; digitalLink: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    const h = await batchHistory(trace, trace.runner!.provider!, id);
    const doc = exportEpcis(factsOf(h), { identifiers: a.digitalLink ? "digital-link" : "urn" });
    const text = JSON.stringify(doc, null, 2) + "\n";
    if (a.out === "") {
      process.stdout.write(text);
      return;
    }
    await writeFile(a.out, text);
    console.log(
      `wrote ${(doc.epcisBody as { eventList: unknown[] }).eventList.length} EPCIS events of ${a.batch.trim()} to ${a.out}`,
    );
  });
}
