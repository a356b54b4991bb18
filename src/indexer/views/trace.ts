/** The trace ledger's views: batches and their history. */
import { requireTrace } from "../../deployment.js";
import { logRangeOf, queryInChunks } from "../../chain.js";
import { batchHistory, descendantsOf } from "../../trace/history.js";
import { getBatch, getProduct } from "../../trace/ledger.js";
import {
  BATCH_STATUSES,
  RECALL_ACTIONS,
  decodeCode,
  dispositionOf,
  encodeCode,
  formatGln,
  parseProductCode,
  unitCode,
} from "../../trace/vocabulary.js";
import type { ArgValue, BatchPage, BatchSummary, Page, RecallSummary, RecallView } from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, ORIGIN, olderThan, toJson } from "./base.js";
import { CharityViews } from "./charity.js";

export class TraceViews extends CharityViews {
  async batches(limit: number, before?: string, product?: string): Promise<Page<BatchSummary>> {
    if (product !== undefined) return this.productBatches(product);
    let q = this.eventQuery()
      .where("e.contract", "=", "TraceLedger")
      .where("e.event_name", "in", ["BatchCommissioned", "BatchSplit", "BatchesMerged", "BatchTransformed"]);
    if (before !== undefined) q = q.where(olderThan(before, "e.block_number", "e.log_index"));
    const rows = await q
      .orderBy("e.block_number", "desc")
      .orderBy("e.log_index", "desc")
      .limit(limit + 1)
      .execute();
    const items: BatchSummary[] = [];
    for (const r of rows.slice(0, limit)) {
      const a = JSON.parse(r.args) as Record<string, ArgValue>;
      const base = { blockNumber: r.block_number, timestamp: num(r.timestamp) };
      if (r.event_name === "BatchSplit") {
        const children = a.children as string[];
        const parentRow = await this.batchCreation(a.parent as string);
        children.forEach((c, i) =>
          items.push({
            batchId: c,
            productCode: parentRow?.productCode ?? "",
            lotCode: decodeCode((a.lotCodes as string[])[i]!),
            quantity: (a.quantities as string[])[i]!,
            uom: parentRow?.uom ?? "",
            producer: a.org as string,
            origin: "split",
            ...base,
          }),
        );
      } else {
        const created = await this.batchCreation(r.topic1!);
        if (created)
          items.push({
            ...created,
            origin: ORIGIN[r.event_name] ?? "commissioned",
            producer: created.producer,
            ...base,
          });
      }
    }
    const lastRow = rows[Math.min(rows.length, limit) - 1];
    return rows.length > limit && lastRow ? { items, next: `${lastRow.block_number}:${lastRow.log_index}` } : { items };
  }

  /** Every batch of one product (GTIN-8/12/13/14 or code text), newest first, in one page. */
  protected async productBatches(product: string): Promise<Page<BatchSummary>> {
    let code: string;
    try {
      code = decodeCode(parseProductCode(product));
    } catch (e) {
      throw new BadRequestError(e instanceof Error ? e.message : String(e));
    }
    const items: BatchSummary[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await this.batches(100, before);
      items.push(...page.items.filter((b) => b.productCode === code));
      if (page.next === undefined) break;
      before = page.next;
    }
    return { items };
  }

  /** How a batch came to be, from its creating event (following splits to the parent's product). */
  protected async batchCreation(
    batchId: string,
  ): Promise<
    | { batchId: string; productCode: string; lotCode: string; quantity: string; uom: string; producer: string }
    | undefined
  > {
    const history = await batchHistory(requireTrace(this.d), this.d.trace!.runner!.provider!, batchId).catch(
      () => undefined,
    );
    const self = history?.lineage.find((b) => b.batchId === batchId);
    if (self === undefined) return undefined;
    const creating = history!.steps.find((s) => s.batchId === batchId);
    return {
      batchId,
      productCode: self.productCode,
      lotCode: self.lotCode,
      quantity: self.quantity.toString(),
      uom: self.uom,
      producer: creating?.org ?? "",
    };
  }

  async batch(ref: string): Promise<BatchPage> {
    const r = ref.trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(r)) throw new BadRequestError(`not a batch id: ${ref}`);
    const id = r.toLowerCase();
    const view = await getBatch(this.d, id);
    if (view === undefined) throw new NotFoundError(`no batch ${ref} on this chain`);
    const ledger = requireTrace(this.d);
    const history = await batchHistory(ledger, ledger.runner!.provider!, id);
    const productKey = encodeCode("product", view.productCode).toLowerCase();
    const product = await getProduct(this.d, productKey);
    const productRow = await this.db
      .selectFrom("events")
      .select("args")
      .where("contract", "=", "TraceLedger")
      .where("event_name", "=", "ProductRegistered")
      .where("topic1", "=", productKey)
      .executeTakeFirst();
    const productArgs = productRow ? (JSON.parse(productRow.args) as Record<string, string>) : undefined;
    const names = await this.publicNames();
    const productName = names.records.find((n) => n.kind === "product" && n.id === productKey)?.name;
    // Each place of the history by the name its acting organisation gave it (GLN-13, leading zeros kept).
    const places: Record<string, { gln: string; name?: string }> = {};
    for (const s of history.steps) {
      if (s.location === 0n) continue;
      const gln = formatGln(s.location);
      const name = names.locations.find((l) => l.gln === gln && l.org.toLowerCase() === s.org.toLowerCase())?.name;
      places[`${s.org.toLowerCase()}:${gln}`] = { gln, ...(name !== undefined ? { name } : {}) };
    }
    const hashes = [...new Set(history.steps.map((s) => s.txHash.toLowerCase()))];
    const times: Record<string, number> = {};
    if (hashes.length > 0) {
      const rows = await this.txQuery().where("t.hash", "in", hashes).execute();
      for (const t of rows) times[t.hash] = num(t.timestamp);
    }
    const now = BigInt(Math.floor(Date.now() / 1000));
    const certificates = history.steps
      .flatMap((s) => (s.kind === "certificate" ? [s] : []))
      .map((s) => {
        const validUntil = Number(s.detail.validUntil);
        const passed = s.detail.passed;
        return {
          batchId: s.batchId,
          inspector: s.org,
          passed,
          validUntil,
          reportHash: s.detail.reportHash,
          valid: passed && BigInt(validUntil) >= now,
        };
      })
      .reverse();
    const recalls = history.steps
      .flatMap((s) => (s.kind === "recall" ? [s] : []))
      .map((s) => ({
        recallId: s.detail.recallId,
        batchId: s.batchId,
        regulator: s.org,
        reasonHash: s.detail.reasonHash,
      }));
    const self = history.lineage.find((b) => b.batchId.toLowerCase() === id);
    const unitRecords = (await this.eventsWith(id)).byRef
      .filter((e) => e.contract === "TraceUnits" && e.topic1 !== null)
      .map((e) => ({
        event: e.event_name as NonNullable<BatchPage["unitRecords"]>[number]["event"],
        ref: e.topic1!,
        org: (JSON.parse(e.args) as Record<string, string>).org ?? "",
        txHash: e.tx_hash,
        timestamp: num(e.timestamp),
      }));
    return {
      batch: {
        batchId: id,
        productCode: view.productCode,
        lotCode: self?.lotCode ?? "",
        quantity: view.quantity.toString(),
        uom: view.uom,
        status: view.status,
        custodian: view.custodian,
        ...(view.receiver !== undefined ? { pendingReceiver: view.receiver } : {}),
        recalled: view.recalled,
        disposition: dispositionOf(BATCH_STATUSES.indexOf(view.status), view.recalled),
      },
      ...(product !== undefined
        ? {
            product: {
              productCode: product.productCode,
              producer: product.producer,
              category: product.category,
              geographicIndication: product.geographicIndication,
              metadataHash: productArgs?.metadataHash ?? "",
              ...(productName !== undefined ? { name: productName } : {}),
            },
          }
        : {}),
      history: toJson(history),
      times,
      places,
      certificates,
      recalls,
      ...(unitRecords.length > 0 ? { unitRecords } : {}),
    };
  }

  /** Every recall, newest first, with its reach left to {@link recall}. */
  async recalls(): Promise<RecallSummary[]> {
    const ledger = requireTrace(this.d);
    const provider = ledger.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const [recalled, acknowledged] = await Promise.all([
      q((a, b) => ledger.queryFilter(ledger.filters.BatchRecalled(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.RecallAcknowledged(), a, b)),
    ]);
    const out: RecallSummary[] = [];
    for (const e of recalled.reverse()) {
      const created = await this.batchCreation(e.args.batchId.toLowerCase());
      const acks = acknowledged.filter((a) => a.args.recallId === e.args.recallId);
      const affected = e.args.quantity;
      const sum = acks.reduce((s, a) => s + a.args.quantity, 0n);
      const accounted = sum < affected ? sum : affected;
      out.push({
        recallId: Number(e.args.recallId),
        batchId: e.args.batchId,
        productCode: created?.productCode ?? "",
        lotCode: created?.lotCode ?? "",
        affected: affected.toString(),
        accounted: accounted.toString(),
        uom: unitCode(e.args.uom),
        acknowledgements: acks.length,
        timestamp: (await this.blockTimes([e.blockNumber])).get(e.blockNumber) ?? 0,
      });
    }
    return out;
  }

  /**
   * One recall as the chain tells it, in one place so that a change of recall accounting changes one
   * function: the recalled batch, its reach (the batch and every batch made from it, each with its lot,
   * quantity, holder today and acknowledgement), and effectiveness as the ledger accounts it: the
   * acknowledged quantities (in the recalled batch's unit) added up to at most the recalled quantity.
   */
  async recall(recallIdText: string): Promise<RecallView> {
    if (!/^[1-9][0-9]{0,9}$/.test(recallIdText)) throw new BadRequestError(`not a recall number: ${recallIdText}`);
    const recallId = BigInt(recallIdText);
    const ledger = requireTrace(this.d);
    const provider = ledger.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const [recalled, acknowledged] = await Promise.all([
      q((a, b) => ledger.queryFilter(ledger.filters.BatchRecalled(recallId), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.RecallAcknowledged(recallId), a, b)),
    ]);
    const e = recalled[0];
    if (e === undefined) throw new NotFoundError(`no recall ${recallIdText} on this chain`);
    const root = e.args.batchId.toLowerCase();
    const reachIds = [root, ...(await descendantsOf(ledger, provider, root))];
    const ackOf = new Map(acknowledged.map((a) => [a.args.batchId.toLowerCase(), a]));
    const times = await this.blockTimes([e.blockNumber, ...acknowledged.map((a) => a.blockNumber)]);
    const reach = await Promise.all(
      reachIds.map(async (batchId) => {
        const [created, state] = await Promise.all([this.batchCreation(batchId), getBatch(this.d, batchId)]);
        const ack = ackOf.get(batchId);
        return {
          batchId,
          productCode: created?.productCode ?? "",
          lotCode: created?.lotCode ?? "",
          quantity: state?.quantity.toString() ?? created?.quantity ?? "0",
          uom: state?.uom ?? created?.uom ?? "",
          holder: state?.custodian ?? "",
          status: state?.status ?? "none",
          ...(ack !== undefined
            ? {
                acknowledgement: {
                  holder: ack.args.holder,
                  action: RECALL_ACTIONS[Number(ack.args.action)] ?? "none",
                  quantity: ack.args.quantity.toString(),
                  evidenceHash: ack.args.evidenceHash,
                  txHash: ack.transactionHash,
                  timestamp: times.get(ack.blockNumber) ?? 0,
                },
              }
            : {}),
        };
      }),
    );
    const affected = e.args.quantity;
    const sum = acknowledged.reduce((s, a) => s + a.args.quantity, 0n);
    const accounted = sum < affected ? sum : affected;
    const root0 = reach[0]!;
    return {
      recallId: Number(recallId),
      batchId: root,
      productCode: root0.productCode,
      lotCode: root0.lotCode,
      regulator: e.args.regulator,
      reasonHash: e.args.reasonHash,
      txHash: e.transactionHash,
      timestamp: times.get(e.blockNumber) ?? 0,
      affected: affected.toString(),
      uom: unitCode(e.args.uom),
      accounted: accounted.toString(),
      /** Basis points (1/100 of a percent), rounded down. */
      effectivenessBp: affected === 0n ? 0 : Number((accounted * 10_000n) / affected),
      acknowledgements: acknowledged.length,
      holders: [...new Set(reach.map((b) => b.holder).filter((h) => h !== ""))],
      reach,
    };
  }
}
