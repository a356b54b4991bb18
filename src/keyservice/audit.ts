/**
 * Checking a key service's request log from the outside: fetch the log (`GET /v1/log`, no personal
 * data in it), recompute its hash chain, and compare the head after the anchored number of entries
 * with the head KeyServiceAnchor holds on chain. Anyone can run it (`npx hardhat keyservice audit`).
 */
import type { KeyServiceAnchor } from "../../types/ethers-contracts/index.js";
import { verifyLog } from "./log.js";
import { ROUTES, type LogEntry, type LogResponse } from "./protocol.js";

export interface LogAudit {
  /** The log's hash chain is unbroken. */
  readonly chainOk: boolean;
  /** Entries in the log. */
  readonly count: number;
  readonly head: string;
  /** The anchored count and head on chain (0 and zero hash: never anchored). */
  readonly anchoredCount: number;
  readonly anchoredHead: string;
  /** The log's head after `anchoredCount` entries is the anchored head (true when nothing was anchored yet). */
  readonly anchorOk: boolean;
  /** Problems found, one sentence each (empty: the log checks out). */
  readonly problems: readonly string[];
}

/** Audits entries (from the first, in order) against the anchor. */
export async function auditLog(entries: readonly LogEntry[], anchor: KeyServiceAnchor): Promise<LogAudit> {
  const problems: string[] = [];
  const v = verifyLog(entries);
  if (!v.ok) problems.push(`the log's hash chain is broken: ${v.reason}`);
  const [anchoredHead, anchoredCountRaw] = await anchor.latest();
  const anchoredCount = Number(anchoredCountRaw);
  let anchorOk = true;
  if (anchoredCount > 0) {
    if (anchoredCount > entries.length) {
      anchorOk = false;
      problems.push(
        `the chain holds an anchor after ${anchoredCount} entries, but the log has only ${entries.length}: entries were removed`,
      );
    } else if (entries[anchoredCount - 1]!.hash !== anchoredHead) {
      anchorOk = false;
      problems.push(
        `after ${anchoredCount} entries the log's head is ${entries[anchoredCount - 1]!.hash}, not the anchored ${anchoredHead}: the log was rewritten`,
      );
    }
  }
  const last = entries.at(-1);
  return {
    chainOk: v.ok,
    count: entries.length,
    head: last?.hash ?? "0x" + "0".repeat(64),
    anchoredCount,
    anchoredHead,
    anchorOk,
    problems,
  };
}

/** Fetches a running service's whole log. */
export async function fetchLog(url: string): Promise<LogResponse> {
  const res = await fetch(url.replace(/\/+$/, "") + ROUTES.log);
  if (!res.ok) throw new Error(`the key service at ${url} answered HTTP ${res.status} for its log`);
  return (await res.json()) as LogResponse;
}
