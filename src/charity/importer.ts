/**
 * Imports a charity's donation list into the ledger, safely re-runnable.
 *
 * For each row the importer makes a fresh 16-byte salt and the donor commitment, and writes the
 * row's receipt (ref, project, donation id, receipt code, commitment, donor name, …) to the
 * charity's receipts file, fsynced, BEFORE sending the batch holding that row. A re-run reuses the
 * receipts already written (same salt, same commitment), so a run killed half-way and run again
 * sends exactly the same data: the ledger skips the donation ids it has (`recordDonations`), nothing
 * is lost or counted twice, and every donor keeps the receipt code they were given.
 */
import { randomBytes } from "node:crypto";

import { type Signer, ZeroHash, getAddress, isAddress } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { requireCharity, type Deployment } from "../deployment.js";

import { InvalidInputError, LedgerError } from "../errors.js";
import { hashFile } from "../hash.js";
import { formatYuan } from "../money.js";
import { getProject, recordDonations, type CashDonationInput } from "./ledger.js";
import { type DonationRow } from "./donation-file.js";
import { type RowError, refusedRowCount, sortRowErrors } from "../table-file.js";
import { MAX_AMOUNT_FEN, donationIdOf, projectIdOf, refHashOf } from "./ids.js";
import { CHANNELS } from "./vocabulary.js";
import { dayNumberOf } from "./business-date.js";
import {
  type ReceiptEntry,
  type StoredReceipt,
  appendReceipts,
  donorCommitment,
  formatReceiptCode,
  loadReceipts,
  normaliseDonorName,
  parseReceiptCode,
  withReceiptsLock,
} from "./receipts.js";

/** `ICharityLedger.CashDonation` as a plain object: `{ refHash, amount (fen), donorCommitment, channel, evidenceHash, receivedOn }`. */
export type { CashDonationInput } from "./ledger.js";

export interface ImportOptions {
  /** Valid rows, as {@link readDonationFile} returns them. */
  readonly rows: readonly DonationRow[];
  /** The charity's account (the sender of `recordDonations`): donation ids depend on it. */
  readonly charity: string;
  /** The charity's reference key ({@link refKeyOf}): reference hashes depend on it. */
  readonly refKey: string;
  /** A project code → its bytes32 id; throws a {@link LedgerError} for an unknown project. */
  readonly resolveProject: (code: string) => Promise<string>;
  readonly receiptsPath: string;
  /** Donations per transaction; 100 by default. */
  readonly batchSize?: number;
  /** Sends `recordDonations(projectId, batch)`; says how many were new and the transaction. */
  readonly submit: (projectId: string, batch: CashDonationInput[]) => Promise<{ recorded: number; txHash: string }>;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * What the chain has under a donation id (undefined: nothing). Asked for every row the receipts
   * file does not have, so that a receipt code is never made for a donation recorded already (from
   * another PC, or under a ref reused for another donation): its commitment would not be the one on
   * chain and the code would point at another donor's donation.
   */
  readonly onChain?: (donationId: string) => Promise<{ amountFen: bigint } | undefined>;
  /** Problems the file reader found ({@link readDonationFile}'s errors): they stop the import too. */
  readonly fileErrors?: readonly RowError[];
  /** Check everything, write and send nothing; the result says what would be recorded. */
  readonly dryRun?: boolean;
  /** Send the valid rows even when some are refused (by default a refused row stops the whole import). */
  readonly skipRefused?: boolean;
}

/** A donation sent, for the charity to hand its receipt code to the donor. */
export interface ImportedDonation {
  readonly line: number;
  readonly ref: string;
  readonly project: string;
  readonly donationId: string;
  readonly receiptCode: string;
}

export interface ImportResult {
  /** Donations that pass every check (sent, or to be sent when `sent` is false). */
  readonly total: number;
  /** Their amount, in fen. */
  readonly totalFen: bigint;
  /** Per project code: donations and fen. */
  readonly byProject: ReadonlyMap<string, { readonly count: number; readonly fen: bigint }>;
  /** Whether anything was sent: false for a dry run, and when rows were refused without `skipRefused`. */
  readonly sent: boolean;
  /** Rows refused (one row may have several errors). */
  readonly refusedRows: number;
  /** New on chain in this run. */
  readonly recorded: number;
  /** Sent but recorded already (by an earlier run). */
  readonly alreadyOnChain: number;
  /** Transactions sent. */
  readonly batches: number;
  readonly txHashes: readonly string[];
  readonly receiptsPath: string;
  /** Rows not sent, and why (the file's errors included): unknown project, a ref reused, … */
  readonly errors: readonly RowError[];
  readonly donations: readonly ImportedDonation[];
}

interface Planned {
  readonly row: DonationRow;
  readonly projectId: string;
  readonly refHash: string;
  readonly donationId: string;
  readonly evidenceHash: string;
  /** The receipt written by an earlier run, reused as it is. */
  readonly stored?: StoredReceipt;
}

/**
 * Imports rows into the ledger: resolves every project and checks every row against the receipts
 * file first (nothing is sent for a row with an error), then per project, in file order, in batches:
 * writes the new receipts (fsync), then sends the batch. A failing `submit` stops the import with
 * its error; the receipts written so far make the next run send the same data again.
 */
export async function importDonations(opts: ImportOptions): Promise<ImportResult> {
  // One run at a time per receipts file: a second one would give the same refs receipts of its own.
  return await withReceiptsLock(opts.receiptsPath, () => importHoldingLock(opts));
}

async function importHoldingLock(opts: ImportOptions): Promise<ImportResult> {
  if (!isAddress(opts.charity)) throw new InvalidInputError("charity", opts.charity, "not an address");
  const charity = getAddress(opts.charity);
  const batchSize = opts.batchSize ?? 100;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidInputError("batch size", batchSize, "must be a whole number of at least 1");
  }
  const errors: RowError[] = [...(opts.fileErrors ?? [])];
  const fail = (row: DonationRow, field: string, value: string, reason: string) =>
    errors.push({ line: row.line, ...(row.sheet !== undefined ? { sheet: row.sheet } : {}), field, value, reason });

  // Projects, each resolved once; an unknown project fails its rows, not the import.
  const projectIds = new Map<string, string | Error>();
  for (const row of opts.rows) {
    if (projectIds.has(row.project)) continue;
    try {
      projectIds.set(row.project, await opts.resolveProject(row.project));
    } catch (e) {
      if (!(e instanceof LedgerError || e instanceof InvalidInputError)) throw e;
      projectIds.set(row.project, e);
    }
  }

  const receipts = await loadReceipts(opts.receiptsPath);
  // What the chain has for every row the receipts file lacks, asked 16 at a time.
  const chainOf = new Map<string, Promise<{ amountFen: bigint } | undefined>>();
  if (opts.onChain !== undefined) {
    const onChain = opts.onChain;
    const ids = [
      ...new Set(
        opts.rows
          .filter((r) => r.ref.trim() !== "" && !receipts.has(r.ref))
          .map((r) => donationIdOf(charity, refHashOf(opts.refKey, r.ref))),
      ),
    ];
    for (let i = 0; i < ids.length; i += 16) {
      const slice = ids.slice(i, i + 16);
      const answers = await Promise.all(slice.map((id) => onChain(id)));
      slice.forEach((id, j) => chainOf.set(id, Promise.resolve(answers[j])));
    }
  }
  const evidenceHashes = new Map<string, Promise<string>>();
  const seenRefs = new Map<string, number>();
  const plan = new Map<string, Planned[]>(); // project code → rows, file order

  for (const row of opts.rows) {
    const before = errors.length;
    const projectId = projectIds.get(row.project)!;
    if (projectId instanceof Error) {
      fail(row, "project", row.project, projectId.message);
    }
    if (row.ref.trim() === "" || row.ref !== row.ref.trim()) {
      fail(row, "ref", row.ref, "must be non-empty with no surrounding spaces");
      continue;
    }
    const firstLine = seenRefs.get(row.ref);
    if (firstLine !== undefined) fail(row, "ref", row.ref, `duplicate: the same ref is on line ${firstLine}`);
    else seenRefs.set(row.ref, row.line);
    if (row.amountFen <= 0n) fail(row, "amount", formatYuan(row.amountFen), "must be more than zero");
    else if (row.amountFen > MAX_AMOUNT_FEN) {
      fail(
        row,
        "amount",
        formatYuan(row.amountFen),
        `is more than one record may carry (${formatYuan(MAX_AMOUNT_FEN)})`,
      );
    }

    let evidenceHash = ZeroHash;
    if (row.evidencePath !== undefined) {
      let h = evidenceHashes.get(row.evidencePath);
      if (h === undefined) {
        h = hashFile(row.evidencePath);
        evidenceHashes.set(row.evidencePath, h);
      }
      try {
        evidenceHash = await h;
      } catch (e) {
        fail(row, "evidence", row.evidencePath, `cannot read the file: ${(e as Error).message}`);
      }
    }

    const hash = refHashOf(opts.refKey, row.ref);
    const donationId = donationIdOf(charity, hash);
    const stored = receipts.get(row.ref);
    if (stored !== undefined) {
      const where = `${opts.receiptsPath} line ${stored.line}`;
      if (stored.donationId !== donationId) {
        throw new LedgerError(
          `${opts.receiptsPath} was written for another charity account: ref ${JSON.stringify(row.ref)} has ` +
            `donation id ${stored.donationId} there, ${donationId} for ${charity}`,
        );
      }
      const changed = `ref reused: this ref was imported with other content (${where})`;
      const fix =
        "if this is another donation give it a ref of its own (the bank's or platform's transaction number, " +
        "not a 序号 that starts again every month); if that donation was recorded wrongly, correct it with a reversal";
      if (stored.project !== row.project) {
        fail(
          row,
          "project",
          row.project,
          `this ref was imported for project ${JSON.stringify(stored.project)} (${where}); a ref is recorded once`,
        );
      } else {
        if (donorCommitment(row.donor ?? "", parseReceiptCode(stored.receiptCode).salt) !== stored.commitment) {
          fail(row, "donor", row.donor ?? "", `${changed}: another donor; ${fix}`);
        }
        if (stored.amountFen !== row.amountFen) {
          fail(row, "amount", formatYuan(row.amountFen), `${changed}: ${formatYuan(stored.amountFen)} there; ${fix}`);
        }
        if (stored.channel !== row.channel) {
          fail(
            row,
            "channel",
            CHANNELS[row.channel] ?? String(row.channel),
            `${changed}: ${CHANNELS[stored.channel]} there; ${fix}`,
          );
        }
        if (stored.date !== "" && row.date !== undefined && stored.date !== row.date) {
          fail(row, "date", row.date, `${changed}: dated ${stored.date} there; ${fix}`);
        }
        if (errors.length === before && stored.evidenceHash !== evidenceHash) {
          fail(
            row,
            "evidence",
            row.evidencePath ?? "",
            `${changed}: the evidence hash was ${stored.evidenceHash}; ${fix}`,
          );
        }
      }
    }

    if (stored === undefined) {
      const chain = await chainOf.get(donationId);
      if (chain !== undefined && chain.amountFen > 0n) {
        fail(
          row,
          "ref",
          row.ref,
          chain.amountFen === row.amountFen
            ? `already on chain (${formatYuan(chain.amountFen, { symbol: true })}), but the receipts file ${opts.receiptsPath} does not have it: ` +
                `import with the receipts file of the PC that recorded it (a new receipt code would not match the chain)`
            : `ref reused: the chain has ${formatYuan(chain.amountFen, { symbol: true })} under this ref, and the receipts file ` +
                `${opts.receiptsPath} does not have it; give this donation a ref of its own, or import with the receipts file that recorded it`,
        );
      }
    }

    if (errors.length > before) continue;
    const planned: Planned = {
      row,
      projectId: projectId as string,
      refHash: hash,
      donationId,
      evidenceHash,
      ...(stored !== undefined ? { stored } : {}),
    };
    const list = plan.get(row.project);
    if (list === undefined) plan.set(row.project, [planned]);
    else list.push(planned);
  }

  const total = [...plan.values()].reduce((n, list) => n + list.length, 0);
  const byProject = new Map<string, { count: number; fen: bigint }>();
  for (const [project, list] of plan) {
    byProject.set(project, { count: list.length, fen: list.reduce((s, p) => s + p.row.amountFen, 0n) });
  }
  const totalFen = [...byProject.values()].reduce((s, p) => s + p.fen, 0n);
  const sortedErrors = sortRowErrors(errors);
  const summary = { total, totalFen, byProject, refusedRows: refusedRowCount(errors), errors: sortedErrors };
  if (opts.dryRun === true || (errors.length > 0 && opts.skipRefused !== true)) {
    return {
      ...summary,
      sent: false,
      recorded: 0,
      alreadyOnChain: 0,
      batches: 0,
      txHashes: [],
      receiptsPath: opts.receiptsPath,
      donations: [],
    };
  }
  let done = 0;
  let recorded = 0;
  let batches = 0;
  const txHashes: string[] = [];
  const donations: ImportedDonation[] = [];

  for (const list of plan.values()) {
    for (let start = 0; start < list.length; start += batchSize) {
      const batch = list.slice(start, start + batchSize);
      const fresh: ReceiptEntry[] = [];
      const inputs: CashDonationInput[] = [];
      for (const p of batch) {
        let receipt: ReceiptEntry | undefined = p.stored;
        if (receipt === undefined) {
          const salt = randomBytes(16);
          const donor = normaliseDonorName(p.row.donor ?? "");
          receipt = {
            ref: p.row.ref,
            project: p.row.project,
            donationId: p.donationId,
            receiptCode: formatReceiptCode(p.donationId, salt),
            commitment: donorCommitment(donor, salt),
            donor,
            date: p.row.date ?? "",
            amountFen: p.row.amountFen,
            channel: p.row.channel,
            evidenceHash: p.evidenceHash,
          };
          fresh.push(receipt);
        }
        inputs.push({
          refHash: p.refHash,
          amount: p.row.amountFen,
          donorCommitment: receipt.commitment,
          channel: p.row.channel,
          evidenceHash: p.evidenceHash,
          // The file's date column (the receipts file keeps it, so a re-run sends the same date).
          receivedOn: dayNumberOf(receipt.date !== "" ? receipt.date : (p.row.date ?? "")),
        });
        donations.push({
          line: p.row.line,
          ref: p.row.ref,
          project: p.row.project,
          donationId: p.donationId,
          receiptCode: receipt.receiptCode,
        });
      }
      // The receipts are on disk before anything that depends on them is sent.
      await appendReceipts(opts.receiptsPath, fresh);
      const result = await opts.submit(batch[0]!.projectId, inputs);
      if (!Number.isSafeInteger(result.recorded) || result.recorded < 0 || result.recorded > batch.length) {
        throw new LedgerError(`the ledger said ${result.recorded} of a batch of ${batch.length} were recorded`);
      }
      recorded += result.recorded;
      batches++;
      txHashes.push(result.txHash);
      done += batch.length;
      opts.onProgress?.(done, total);
    }
  }

  return {
    ...summary,
    sent: true,
    recorded,
    alreadyOnChain: total - recorded,
    batches,
    txHashes,
    receiptsPath: opts.receiptsPath,
    donations,
  };
}

/** What {@link importDonations} asks of the chain, for `charity` sending as `signer`. */
export type CharityChainAccess = Pick<ImportOptions, "charity" | "resolveProject" | "submit" | "onChain">;

/**
 * The chain as {@link importDonations} uses it: the importing charity's own approved projects by
 * code, what a donation id holds already, and `recordDonations` sent as `signer`.
 */
export function charityChainAccess(
  d: Deployment,
  signer: Signer,
  charity: string,
  overrides: LegacyOverrides,
): CharityChainAccess {
  const ledger = requireCharity(d);
  return {
    charity,
    resolveProject: async (code: string) => {
      // Only the importing charity's own projects: a code means its project under that code.
      const projectId = projectIdOf(charity, code);
      const p = await getProject(d, projectId);
      if (p === undefined) throw new LedgerError(`no project ${code} on this chain`);
      if (p.status !== "approved") throw new LedgerError(`project ${code} is ${p.status}, not approved`);
      if (p.charity !== charity) {
        throw new LedgerError(`project ${code} belongs to ${p.charity}; import with --from that charity's account`);
      }
      return projectId;
    },
    onChain: async (donationId) => {
      const donation = await ledger.donation(donationId);
      return donation.amount === 0n ? undefined : { amountFen: donation.amount };
    },
    submit: async (projectId, batch) => {
      const w = await recordDonations(d, signer, projectId, batch, overrides);
      return { recorded: w.value, txHash: w.txHash };
    },
  };
}
