import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { batchHistory, type TraceStep } from "../../src/trace/history.js";
import { BIZ_STEP_ZH, formatGln, formatQuantity, parseBatchRef } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask } from "../common.js";
import { time } from "./common.js";

export default async function (a: { batch: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    const h = await batchHistory(trace, trace.runner!.provider!, id);
    if (a.json) return console.log(jsonText(h));
    const nameOf = await organisationNamer(d);
    const lotOf = new Map(h.lineage.map((l) => [l.batchId, `${l.productCode}/${l.lotCode}`]));
    const label = (x: string) => lotOf.get(x.toLowerCase()) ?? x;
    console.log(`history of ${label(id)} (${id})`);
    console.log("\nlineage (this batch first, then what it was made from):");
    printTable(
      ["depth", "batch", "quantity", "made by", "from"],
      h.lineage.map((l) => [
        String(l.depth),
        `${l.productCode}/${l.lotCode}`,
        `${formatQuantity(l.quantity)} ${l.uom}`,
        l.origin,
        l.parents.map(label).join(", "),
      ]),
    );
    console.log("\nevents, oldest first:");
    printTable(
      ["time", "batch", "step", "by", "where", "detail"],
      h.steps.map((s) => [
        time(s.eventTime) || `block ${s.blockNumber}`,
        label(s.batchId),
        s.kind in BIZ_STEP_ZH ? `${s.kind} ${BIZ_STEP_ZH[s.kind as keyof typeof BIZ_STEP_ZH]}` : s.kind,
        nameOf(s.org),
        formatGln(s.location),
        describeDetail(s, nameOf, label),
      ]),
    );
    console.log("\nchain of custody:");
    for (const c of h.custody) console.log(`  ${time(c.since).padEnd(20)} ${nameOf(c.org)} took ${label(c.batchId)}`);
  });
}

function describeDetail(s: TraceStep, nameOf: (a: string) => string, label: (id: string) => string): string {
  switch (s.kind) {
    case "shipping":
      return `to ${nameOf(s.counterparty ?? "")}`;
    case "receiving":
      return `from ${nameOf(s.counterparty ?? "")}`;
    case "shipment_cancelled":
      return s.detail.refused ? `refused by ${nameOf(s.counterparty ?? "")}` : "cancelled by sender";
    case "transforming": {
      const d = s.detail;
      if (d.operation === "split") return `split into ${d.outputs.length} batches`;
      return `${d.operation} of ${d.inputs.map(label).join(" + ")}${d.operation === "transform" ? ` at ratio ${d.ratioPpm / 1e6}` : ""}`;
    }
    case "certificate":
      return s.detail.passed ? `passed, valid until ${time(BigInt(s.detail.validUntil))}` : "FAILED";
    case "recall":
      return `RECALL #${s.detail.recallId}`;
    case "recall_acknowledged":
      return `recall #${s.detail.recallId}: ${s.detail.action} ${formatQuantity(BigInt(s.detail.quantity))}`;
    default:
      return "";
  }
}
