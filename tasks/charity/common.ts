import { documentHash } from "../../src/hash.js";
import { checkAmount } from "../../src/charity/ledger.js";
import type { Deployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { formatYuan, parseYuan } from "../../src/money.js";
import { findOrganisation, type Organisation } from "../../src/registry.js";
import { required } from "../common.js";

/** A required amount option in yuan, as positive fen. */
export function amountOption(flag: string, value: string | undefined): bigint {
  return checkAmount(flag, parseYuan(required(flag, value), flag));
}

/** The document hash of a `--<name>-file` / `--<name>-hash` pair. */
export function docHash(name: string, file: string, hash: string): Promise<string> {
  return documentHash(`${name} hash`, { file, hash });
}

/** An organisation named by account, credit code or exact name. */
export async function organisationOption(
  d: Deployment,
  flag: string,
  query: string | undefined,
): Promise<Organisation> {
  const q = required(flag, query);
  const org = await findOrganisation(d, q);
  if (org === undefined) throw new LedgerError(`${flag}: no registered organisation matches ${JSON.stringify(q)}`);
  return org;
}

export const yuan = (fen: bigint) => formatYuan(fen, { symbol: true });

/** `in block N, tx 0x…` */
export const mined = (w: { blockNumber: number; txHash: string }) => `in block ${w.blockNumber}, tx ${w.txHash}`;
