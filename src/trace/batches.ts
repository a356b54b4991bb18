/**
 * Every batch of the traceability ledger, as `trace batches` lists them: how each came to be
 * (commissioned, split, merged, transformed), its product, lot code and producer from the creating
 * event, and its state now (quantity, custodian, status, recall) from the ledger. Logs are read in
 * chunks of at most 5,000 blocks.
 */
import type { Provider } from "ethers";

import { logRangeOf, queryInChunks } from "../chain.js";
import { requireTrace, type Deployment } from "../deployment.js";
import { getBatch, type BatchView } from "./ledger.js";
import { decodeCode } from "./vocabulary.js";

export interface BatchLine {
  readonly batchId: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly origin: "commissioned" | "split" | "merged" | "transformed";
  /** The organisation whose event created the batch. */
  readonly createdBy: string;
  readonly blockNumber: number;
  readonly txHash: string;
  /** The batch now. */
  readonly state: BatchView;
}

/** The batches in chain order, optionally only those of one product code. */
export async function listBatches(d: Deployment, filter: { productCode?: string } = {}): Promise<BatchLine[]> {
  const ledger = requireTrace(d);
  const provider = ledger.runner!.provider! as Provider;
  const latest = await provider.getBlockNumber();
  const chunk = logRangeOf(provider);
  const q = <T>(fn: (a: number, b: number) => Promise<T[]>) => queryInChunks(fn, 0, latest, { chunk });
  const [commissioned, splits, merges, transforms] = await Promise.all([
    q((a, b) => ledger.queryFilter(ledger.filters.BatchCommissioned(), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.BatchSplit(), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.BatchesMerged(), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.BatchTransformed(), a, b)),
  ]);
  type Created = Omit<BatchLine, "state" | "productCode"> & { seq: number };
  const created: Created[] = [];
  const at = (e: { blockNumber: number; index: number; transactionHash: string }) => ({
    blockNumber: e.blockNumber,
    txHash: e.transactionHash,
    seq: e.blockNumber * 100_000 + e.index,
  });
  for (const e of commissioned)
    created.push({
      batchId: e.args.batchId,
      lotCode: decodeCode(e.args.lotCode),
      origin: "commissioned",
      createdBy: e.args.producer,
      ...at(e),
    });
  for (const e of splits)
    e.args.children.forEach((child, i) =>
      created.push({
        batchId: child,
        lotCode: decodeCode(e.args.lotCodes[i]!),
        origin: "split",
        createdBy: e.args.org,
        ...at(e),
      }),
    );
  for (const e of merges)
    created.push({
      batchId: e.args.output,
      lotCode: decodeCode(e.args.lotCode),
      origin: "merged",
      createdBy: e.args.org,
      ...at(e),
    });
  for (const e of transforms)
    created.push({
      batchId: e.args.output,
      lotCode: decodeCode(e.args.transformation.outputLot),
      origin: "transformed",
      createdBy: e.args.org,
      ...at(e),
    });
  created.sort((a, b) => a.seq - b.seq);
  const lines: BatchLine[] = [];
  for (const { seq: _seq, ...c } of created) {
    const state = await getBatch(d, c.batchId);
    if (state === undefined) continue;
    if (filter.productCode !== undefined && state.productCode !== filter.productCode) continue;
    lines.push({ ...c, productCode: state.productCode, state });
  }
  return lines;
}
