/**
 * Donor privacy. A donor's name never leaves the charity's machine: the chain gets a salted
 * commitment, the donor gets a receipt code that carries what is needed to find the record and to
 * check it against their name, and the charity keeps its receipts file, the only place names are
 * kept.
 *
 *   donorCommitment = keccak256(abi.encodePacked("zhixin-donor-v1", bytes16 salt, NFC(trim(name))))
 *   receipt code    = "ZX-" + base32(first 8 bytes of the donation id) + "-" + base32(salt)
 *
 * The salt is 16 fresh random bytes per donation, so a commitment cannot be matched against a list
 * of likely names. An anonymous donation commits to the empty name with its own salt, so the public
 * cannot tell named from anonymous donations either. Base32 is Crockford's (no I, L, O, U; read
 * case-insensitively, I and L as 1, O as 0; hyphens and spaces ignored), so a code survives being
 * read aloud or typed from paper.
 */
import { randomBytes } from "node:crypto";
import { appendFile, open, readFile, stat, truncate } from "node:fs/promises";
import { dirname } from "node:path";

import { parse as parseCsv } from "csv-parse/sync";
import { lock } from "proper-lockfile";
import { LedgerError } from "../errors.js";
import { CHANNELS } from "./vocabulary.js";
import { donorCommitment, formatReceiptCode, normaliseDonorName, parseReceiptCode } from "./receipt-code.js";

export {
  DONOR_COMMITMENT_DOMAIN,
  RECEIPT_ID_BYTES,
  SALT_BYTES,
  donorCommitment,
  formatReceiptCode,
  normaliseDonorName,
  parseReceiptCode,
  receiptMatches,
  type ReceiptCode,
} from "./receipt-code.js";

// ---------------------------------------------------------------------------------- receipts file

/** One line of the charity's receipts file. */
export interface ReceiptEntry {
  readonly ref: string;
  /** The project code as in the donation file. */
  readonly project: string;
  readonly donationId: string;
  readonly receiptCode: string;
  readonly commitment: string;
  /** The donor's name as committed (normalised); empty for an anonymous donation. */
  readonly donor: string;
  /** YYYY-MM-DD or empty. */
  readonly date: string;
  /** What was sent to the chain besides the commitment, to notice a changed row on a re-run. */
  readonly amountFen: bigint;
  readonly channel: number;
  readonly evidenceHash: string;
}

/** A receipts-file entry and the line it is on. */
export interface StoredReceipt extends ReceiptEntry {
  readonly line: number;
}

export const RECEIPT_COLUMNS = [
  "ref",
  "project",
  "donationId",
  "receiptCode",
  "commitment",
  "donor",
  "date",
  "amountFen",
  "channel",
  "evidenceHash",
] as const;

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function receiptLine(e: ReceiptEntry): string {
  const cells: Record<(typeof RECEIPT_COLUMNS)[number], string> = {
    ref: e.ref,
    project: e.project,
    donationId: e.donationId,
    receiptCode: e.receiptCode,
    commitment: e.commitment,
    donor: e.donor,
    date: e.date,
    amountFen: e.amountFen.toString(),
    channel: CHANNELS[e.channel] ?? String(e.channel),
    evidenceHash: e.evidenceHash,
  };
  return RECEIPT_COLUMNS.map((c) => csvField(cells[c])).join(",") + "\n";
}

const HASH = /^0x[0-9a-f]{64}$/;

/** The entry on one line of the receipts file, or what is wrong with it. */
function toEntry(get: (c: (typeof RECEIPT_COLUMNS)[number]) => string, line: number): StoredReceipt | string {
  const channel = CHANNELS.indexOf(get("channel") as (typeof CHANNELS)[number]);
  if (get("ref") === "") return "ref is empty";
  if (!HASH.test(get("donationId")))
    return `donationId ${JSON.stringify(get("donationId"))} is not a 32-byte hex value`;
  if (!HASH.test(get("commitment")))
    return `commitment ${JSON.stringify(get("commitment"))} is not a 32-byte hex value`;
  if (!HASH.test(get("evidenceHash")))
    return `evidenceHash ${JSON.stringify(get("evidenceHash"))} is not a 32-byte hex value`;
  if (!/^[1-9][0-9]*$/.test(get("amountFen"))) return `amountFen ${JSON.stringify(get("amountFen"))} is not fen`;
  if (channel < 0) return `channel ${JSON.stringify(get("channel"))} is not one of ${CHANNELS.join(", ")}`;
  try {
    parseReceiptCode(get("receiptCode"));
  } catch {
    return `receiptCode ${JSON.stringify(get("receiptCode"))} is not a receipt code`;
  }
  return {
    line,
    ref: get("ref"),
    project: get("project"),
    donationId: get("donationId"),
    receiptCode: get("receiptCode"),
    commitment: get("commitment"),
    donor: get("donor"),
    date: get("date"),
    amountFen: BigInt(get("amountFen")),
    channel,
    evidenceHash: get("evidenceHash"),
  };
}

/**
 * Reads the receipts file, keyed by ref (the first entry of a ref wins). A missing file is empty.
 * A last line without its newline that is not a whole entry was cut short by a crash while it was
 * being written; nothing was sent for it (sending waits for the write and its fsync), so it is
 * dropped from the file. A whole entry that only lacks its newline gets one.
 */
export async function loadReceipts(path: string): Promise<Map<string, StoredReceipt>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new LedgerError(`cannot read the receipts file ${path}: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "");
  } catch {
    throw new LedgerError(`the receipts file ${path} is not UTF-8 any more: was it saved from Excel? Restore it`);
  }
  if (text.trim() === "") return new Map();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (e) {
    // A crash inside a quoted field leaves an open quote: drop the unterminated tail and read again.
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length && end > 0) {
      await truncate(path, end);
      return await loadReceipts(path);
    }
    throw new LedgerError(`the receipts file ${path} is not valid CSV: ${(e as Error).message}`);
  }
  const header = records[0]?.record ?? [];
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  const missing = RECEIPT_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0 && records.length === 1 && !text.endsWith("\n")) {
    // The header itself was cut short: nothing was ever sent.
    await truncate(path, 0);
    return new Map();
  }
  if (missing.length > 0) {
    throw new LedgerError(`${path} is not a receipts file: missing column(s) ${missing.join(", ")}`);
  }
  const receipts = new Map<string, StoredReceipt>();
  const unterminated = !text.endsWith("\n");
  for (const [i, { record, info }] of records.entries()) {
    if (i === 0) continue;
    const entry = toEntry((c) => record[index.get(c)!] ?? "", info.lines);
    const last = i === records.length - 1;
    if (typeof entry === "string") {
      if (last && unterminated) {
        await truncate(path, bytes.lastIndexOf(0x0a) + 1);
        break;
      }
      throw new LedgerError(`${path} line ${info.lines}: ${entry}; was the file edited by hand?`);
    }
    if (last && unterminated) await appendFile(path, "\n");
    if (!receipts.has(entry.ref)) receipts.set(entry.ref, entry);
  }
  return receipts;
}

/** A lock not refreshed for this long was left by a crashed run; its holder refreshes it every second. */
const LOCK_STALE_MS = 5_000;
/** How long a run waits for the lock: long enough to take over one left by a crash. */
const LOCK_WAIT_MS = 8_000;

/**
 * Runs `fn` holding the receipts file's lock (`<path>.lock`, a folder, with proper-lockfile), so
 * that two runs never give the same ref two receipts with different salts. A run waits up to 8
 * seconds for the lock, which takes over a lock left by a crashed run (stale after 5 seconds), and
 * then stops with a clear error: another run is still writing.
 */
export async function withReceiptsLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lock(path, {
      realpath: false,
      stale: LOCK_STALE_MS,
      update: 1_000,
      retries: { retries: LOCK_WAIT_MS / 200, factor: 1, minTimeout: 200, maxTimeout: 200 },
      onCompromised: (e) => {
        compromised = e;
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOCKED") {
      throw new LedgerError(
        `another run is writing the receipts file ${path} (its lock ${path}.lock is still held after ` +
          `${LOCK_WAIT_MS / 1000} seconds): let it finish, then run this again`,
      );
    }
    if (code === "ENOENT") throw new LedgerError(`cannot write the receipts file ${path}: its folder does not exist`);
    throw new LedgerError(`cannot lock the receipts file ${path}: ${(e as Error).message}`);
  }
  let result: T;
  try {
    result = await fn();
  } finally {
    await release().catch(() => undefined); // a compromised lock is reported below
  }
  if (compromised !== undefined) {
    throw new LedgerError(
      `the lock on ${path} was lost while this run held it (${compromised.message}); ` +
        "run again to check the receipts against the chain",
    );
  }
  return result;
}

/**
 * Appends entries to the receipts file and fsyncs it before returning; a new file gets a UTF-8 BOM
 * (so Excel shows the names) and the header, is readable by its owner only, and its folder is
 * fsynced so that the file itself survives a crash.
 */
export async function appendReceipts(path: string, entries: readonly ReceiptEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const exists = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
  const text = (exists ? "" : "\ufeff" + RECEIPT_COLUMNS.join(",") + "\n") + entries.map(receiptLine).join("");
  const file = await open(path, "a", 0o600);
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } finally {
    await file.close();
  }
  if (!exists) {
    const dir = await open(dirname(path), "r");
    try {
      await dir.sync();
    } catch {
      // some file systems cannot fsync a directory
    } finally {
      await dir.close();
    }
  }
}

/** What the donor gets and the chain sees for one donation's donor. */
export interface DonorReceipt {
  readonly commitment: string;
  readonly receiptCode: string;
}

/**
 * The donor commitment and receipt code of one donation: reused from the local receipts file
 * when the ref is there already (a retry sends the same record), else made with a fresh salt
 * and appended to the file before anything is sent. Names stay in that file only.
 */
export async function donorReceipt(
  receiptsPath: string,
  entry: {
    ref: string;
    project: string;
    donationId: string;
    donor: string;
    amountFen: bigint;
    channel: number;
    evidenceHash: string;
  },
): Promise<DonorReceipt> {
  return await withReceiptsLock(receiptsPath, () => donorReceiptHoldingLock(receiptsPath, entry));
}

async function donorReceiptHoldingLock(
  receiptsPath: string,
  entry: Parameters<typeof donorReceipt>[1],
): Promise<DonorReceipt> {
  const receipts = await loadReceipts(receiptsPath);
  const known = receipts.get(entry.ref);
  if (known !== undefined) {
    if (known.project !== entry.project) {
      throw new LedgerError(
        `${receiptsPath} line ${known.line} already has ref ${entry.ref} for project ${known.project}`,
      );
    }
    if (known.donationId !== entry.donationId) {
      throw new LedgerError(
        `${receiptsPath} line ${known.line} has ref ${entry.ref} recorded for another charity account`,
      );
    }
    return { commitment: known.commitment, receiptCode: known.receiptCode };
  }
  const salt = randomBytes(16);
  const donor = normaliseDonorName(entry.donor);
  const receipt = { commitment: donorCommitment(donor, salt), receiptCode: formatReceiptCode(entry.donationId, salt) };
  await appendReceipts(receiptsPath, [{ ...entry, donor, ...receipt, date: new Date().toISOString().slice(0, 10) }]);
  return receipt;
}
