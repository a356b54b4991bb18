/**
 * Keeps the index's copy of the node's answers (`calls`) fresh: after each round of indexing, the
 * pages of every record the new events touched are computed once (batches with the batches made from
 * them, charity projects' donations, programmes), so the contract reads those pages make are asked
 * of the node and kept as of the indexed block. When the node is then down or hung, the same pages
 * answer from the index. The pages' own code decides which reads are needed: nothing here repeats
 * them.
 */
import { descendantsOf } from "../trace/history.js";
import { requireTrace } from "../deployment.js";
import type { IndexViews } from "./views/chain.js";

/** Runs `work` over `items`, `width` at a time. */
async function eachLimited<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/**
 * Computes the pages of the records named by events in blocks `from`..`to` (every record when `from` is
 * 0). Returns the number of pages computed. A page that fails (the node went away half-way) is left
 * for the next round: the caller keeps `from` where it was when this throws.
 */
export async function warmPages(views: IndexViews, from: number, to: number): Promise<number> {
  const rows = await views.db
    .selectFrom("events")
    .select(["contract", "event_name", "topic1", "topic2", "topic3", "args"])
    .where("block_number", ">=", from)
    .where("block_number", "<=", to)
    .execute();
  if (rows.length === 0) return 0;
  let pages = 0;
  const page = async (work: () => Promise<unknown>) => {
    await work();
    pages++;
  };

  const trace = rows.filter((r) => r.contract === "TraceLedger");
  if (trace.length > 0 && views.d.trace !== undefined) {
    const batches = await knownBatches(views);
    const touched = new Set<string>();
    for (const r of trace) {
      const values = [r.topic1, r.topic2, r.topic3, ...Object.values(JSON.parse(r.args) as Record<string, unknown>)];
      for (const v of values.flat())
        if (typeof v === "string" && batches.has(v.toLowerCase())) touched.add(v.toLowerCase());
    }
    const ledger = requireTrace(views.d);
    for (const id of [...touched])
      for (const d of await descendantsOf(ledger, ledger.runner!.provider!, id)) touched.add(d);
    await eachLimited([...touched], 4, (id) => page(() => views.batch(id)));
  }

  if (rows.some((r) => r.contract === "CharityLedger") && views.d.charity !== undefined) {
    // One donation per project: a donation's page reads the state of its project's disbursements.
    const donations = await views.db
      .selectFrom("events")
      .select(["topic1", "topic2"])
      .where("contract", "=", "CharityLedger")
      .where("event_name", "=", "DonationRecorded")
      .orderBy("block_number")
      .execute();
    const perProject = new Map<string, string>();
    for (const d of donations) if (d.topic2 !== null && d.topic1 !== null) perProject.set(d.topic2, d.topic1);
    await page(() => views.charityStats());
    await eachLimited([...perProject.values()], 4, (id) => page(() => views.donation(id)));
  }

  if (rows.some((r) => r.contract === "ReliefLedger") && views.d.relief !== undefined) {
    const programmes = await views.programmes();
    pages++;
    await eachLimited(programmes, 4, (p) => page(() => views.programme(p.programmeId)));
  }
  return pages;
}

/** Every batch id the index knows (commissioned, split, merged or transformed). */
async function knownBatches(views: IndexViews): Promise<Set<string>> {
  const rows = await views.db
    .selectFrom("events")
    .select(["event_name", "topic1", "args"])
    .where("contract", "=", "TraceLedger")
    .where("event_name", "in", ["BatchCommissioned", "BatchSplit", "BatchesMerged", "BatchTransformed"])
    .execute();
  const out = new Set<string>();
  for (const r of rows) {
    if (r.event_name === "BatchSplit") {
      for (const c of (JSON.parse(r.args) as { children: string[] }).children) out.add(c.toLowerCase());
    } else if (r.topic1 !== null) out.add(r.topic1.toLowerCase());
  }
  return out;
}
