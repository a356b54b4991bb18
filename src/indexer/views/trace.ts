/** The trace ledger's views: batches and their history. */
import { requireTrace } from "../../deployment.js";
import { batchHistory } from "../../trace/history.js";
import { getBatch, getProduct } from "../../trace/ledger.js";
import { BATCH_STATUSES, decodeCode, dispositionOf, encodeCode } from "../../trace/vocabulary.js";
import type { ArgValue, BatchPage, BatchSummary, Page } from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, ORIGIN, olderThan, toJson } from "./base.js";
import { CharityViews } from "./charity.js";

export class TraceViews extends CharityViews {
  async batches(limit: number, before?: string): Promise<Page<BatchSummary>> {
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
            },
          }
        : {}),
      history: toJson(history),
      times,
      certificates,
      recalls,
      ...(unitRecords.length > 0 ? { unitRecords } : {}),
    };
  }
}
