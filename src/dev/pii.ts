/**
 * Looks for personal data in what was written to the chain: resident ID numbers
 * (居民身份证号, GB 11643 with its check character) and mainland mobile numbers, in
 * transaction input and in log topics and data. They are searched as UTF-8/ASCII text in
 * the bytes and as the decimal value of each 32-byte word (an ID number sent as a uint).
 * Names cannot be told from organisation names by pattern; the domain tests check that
 * the names they were given never appear.
 */
import type { Provider } from "ethers";

import { blockRanges } from "../chain.js";

export type PiiKind = "resident-id" | "mobile";

export interface PiiHit {
  readonly kind: PiiKind;
  readonly text: string;
  /** Where it was found: `tx <hash> input` or `log <tx hash>#<index>`. */
  readonly where: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
const ID_PATTERN =
  /(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/g;
const MOBILE_PATTERN = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;

/** Whether an 18-character resident ID number has the right check character. */
export function isResidentId(id: string): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
}

/** Personal data patterns in a piece of text. */
export function findPiiInText(text: string): { kind: PiiKind; text: string }[] {
  const hits: { kind: PiiKind; text: string }[] = [];
  for (const m of text.matchAll(ID_PATTERN)) if (isResidentId(m[0])) hits.push({ kind: "resident-id", text: m[0] });
  for (const m of text.matchAll(MOBILE_PATTERN)) hits.push({ kind: "mobile", text: m[0] });
  return hits;
}

/**
 * Personal data patterns in bytes: as text, and as the decimal value of each aligned 32-byte word
 * (aligned after the 4-byte selector too, when the bytes are calldata; log data has no selector, and
 * reading it misaligned would join the ends of two fields into false hits).
 */
export function findPiiInHex(hex: string, calldata = true): { kind: PiiKind; text: string }[] {
  const raw = hex.startsWith("0x") ? hex.slice(2) : hex;
  const bytes = Buffer.from(raw, "hex");
  // Non-printable bytes become separators, so digits of two fields never join.
  const text = bytes.toString("utf8").replace(/[\u0000-\u001f\ufffd]/g, " ");
  const hits = findPiiInText(text);
  for (let i = 0; i + 64 <= raw.length; i += 64) {
    const value = BigInt("0x" + raw.slice(i, i + 64));
    if (value !== 0n) hits.push(...findPiiInText(value.toString()).filter((h) => h.text === value.toString()));
  }
  // Selector-prefixed calldata: words start after 4 bytes.
  for (let i = 8; calldata && i + 64 <= raw.length; i += 64) {
    const value = BigInt("0x" + raw.slice(i, i + 64));
    if (value !== 0n) hits.push(...findPiiInText(value.toString()).filter((h) => h.text === value.toString()));
  }
  return hits;
}

/**
 * Visits every transaction input and every log topic and data of blocks [from, to], reading
 * logs in chunks of at most 5,000 blocks.
 */
export async function forEachWritten(
  provider: Provider,
  visit: (hex: string, where: string) => void,
  from = 0,
  to?: number,
): Promise<void> {
  const last = to ?? (await provider.getBlockNumber());
  for (const [a, b] of blockRanges(from, last)) {
    for (let n = a; n <= b; n++) {
      const block = await provider.getBlock(n, true);
      for (const tx of block?.prefetchedTransactions ?? []) visit(tx.data, `tx ${tx.hash} input`);
    }
    for (const log of await provider.getLogs({ fromBlock: a, toBlock: b })) {
      for (const part of [...log.topics, log.data]) visit(part, `log ${log.transactionHash}#${log.index}`);
    }
  }
}

/** Scans everything written to the chain for resident ID numbers and mobile numbers. */
export async function scanChainForPii(provider: Provider, from = 0, to?: number): Promise<PiiHit[]> {
  const hits: PiiHit[] = [];
  await forEachWritten(
    provider,
    (hex, where) => {
      for (const h of findPiiInHex(hex, where.startsWith("tx "))) hits.push({ ...h, where });
    },
    from,
    to,
  );
  return hits;
}

/** Scans everything written to the chain for given texts (e.g. the donors' names a test used), as UTF-8. */
export async function scanChainForTexts(
  provider: Provider,
  texts: readonly string[],
  from = 0,
  to?: number,
): Promise<{ text: string; where: string }[]> {
  const needles = [...new Set(texts.filter((t) => t !== ""))].map((t) => ({ text: t, bytes: Buffer.from(t, "utf8") }));
  const hits: { text: string; where: string }[] = [];
  await forEachWritten(
    provider,
    (hex, where) => {
      const bytes = Buffer.from(hex.replace(/^0x/, ""), "hex");
      for (const n of needles) if (bytes.includes(n.bytes)) hits.push({ text: n.text, where });
    },
    from,
    to,
  );
  return hits;
}
