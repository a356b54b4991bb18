/**
 * A project's goods lots (donations in kind) and where each went, from the charity ledger's events:
 * `charity goods lots` prints them. A lot is recorded with its item code, quantity, unit and
 * valuation; it is dispatched in parts to registered recipients, each dispatch confirmed (or not yet)
 * by its recipient; a lot recorded in error may be reversed before any dispatch. Logs are read in
 * chunks of at most 5,000 blocks.
 */
import { decodeBytes32String, getBytes, toUtf8String, type Provider } from "ethers";

import { logRangeOf, queryInChunks } from "../chain.js";
import { requireCharity, type Deployment } from "../deployment.js";

export interface GoodsDispatchLine {
  readonly dispatchId: string;
  readonly recipient: string;
  readonly quantity: bigint;
  readonly confirmed: boolean;
  readonly blockNumber: number;
  readonly txHash: string;
}

export interface GoodsLotLine {
  readonly lotId: string;
  readonly itemCode: string;
  readonly quantity: bigint;
  readonly unit: string;
  /** Fen. */
  readonly valuation: bigint;
  /** The traceability batch of the goods, when given. */
  readonly productBatchId?: string;
  readonly recordedBy: string;
  readonly dispatched: bigint;
  readonly remaining: bigint;
  readonly reversed: boolean;
  readonly dispatches: readonly GoodsDispatchLine[];
  readonly blockNumber: number;
  readonly txHash: string;
}

/** A `bytes32` short string, or its hex when it is not one. */
function shortText(hex: string): string {
  try {
    return decodeBytes32String(hex);
  } catch {
    return hex;
  }
}

/** A zero-padded UTF-8 `bytes16` (箱, kg). */
function unitText(hex: string): string {
  const b = getBytes(hex);
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return toUtf8String(b.slice(0, end));
}

/** The goods lots of one project, in chain order, with their dispatches. */
export async function goodsLots(d: Deployment, projectId: string): Promise<GoodsLotLine[]> {
  const ledger = requireCharity(d);
  const provider = ledger.runner!.provider! as Provider;
  const latest = await provider.getBlockNumber();
  const chunk = logRangeOf(provider);
  const q = <T>(fn: (a: number, b: number) => Promise<T[]>) => queryInChunks(fn, 0, latest, { chunk });
  const [recorded, reversed] = await Promise.all([
    q((a, b) => ledger.queryFilter(ledger.filters.GoodsRecorded(undefined, projectId), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.GoodsReversed(undefined, projectId), a, b)),
  ]);
  const reversedLots = new Set(reversed.map((e) => e.args.lotId));
  const lines: GoodsLotLine[] = [];
  for (const e of recorded) {
    const lotId = e.args.lotId;
    const g = e.args.goods;
    const dispatchEvents = await q((a, b) =>
      ledger.queryFilter(ledger.filters.GoodsDispatched(undefined, lotId), a, b),
    );
    const dispatches: GoodsDispatchLine[] = [];
    for (const x of dispatchEvents) {
      const confirmations = await q((a, b) =>
        ledger.queryFilter(ledger.filters.GoodsReceiptConfirmed(x.args.dispatchId), a, b),
      );
      dispatches.push({
        dispatchId: x.args.dispatchId,
        recipient: x.args.recipient,
        quantity: x.args.quantity,
        confirmed: confirmations.length > 0,
        blockNumber: x.blockNumber,
        txHash: x.transactionHash,
      });
    }
    const dispatched = dispatches.reduce((s, x) => s + x.quantity, 0n);
    const isReversed = reversedLots.has(lotId);
    lines.push({
      lotId,
      itemCode: shortText(g.itemCode),
      quantity: g.quantity,
      unit: unitText(g.unit),
      valuation: g.valuation,
      ...(BigInt(g.productBatchId) !== 0n ? { productBatchId: g.productBatchId } : {}),
      recordedBy: e.args.by,
      dispatched,
      remaining: isReversed ? 0n : g.quantity - dispatched,
      reversed: isReversed,
      dispatches,
      blockNumber: e.blockNumber,
      txHash: e.transactionHash,
    });
  }
  return lines;
}
