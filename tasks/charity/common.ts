import { randomBytes } from "node:crypto";

import {
  appendReceipts,
  donorCommitment,
  formatReceiptCode,
  loadReceipts,
  normaliseDonorName,
  withReceiptsLock,
} from "../../src/charity/receipts.js";
import { documentHash } from "../../src/hash.js";
import { checkAmount } from "../../src/charity/ledger.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { formatYuan, parseYuan } from "../../src/money.js";
import { required } from "../common.js";

export { mined, organisationOption } from "../common.js";

/** A required amount option in yuan, as positive fen. */
export function amountOption(flag: string, value: string | undefined): bigint {
  return checkAmount(flag, parseYuan(required(flag, value), flag));
}

/** The document hash of a `--<name>-file` / `--<name>-hash` pair. */
export function docHash(name: string, file: string, hash: string): Promise<string> {
  return documentHash(`${name} hash`, { file, hash });
}

export const yuan = (fen: bigint) => formatYuan(fen, { symbol: true });

/** A required positive whole quantity. */
export function quantityOption(flag: string, value: string | undefined): bigint {
  const text = required(flag, value).trim();
  if (!/^[0-9]+$/.test(text)) throw new InvalidInputError(flag, text, "must be a whole number");
  return checkAmount(flag, BigInt(text));
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
