/**
 * Imports a beneficiary list into the relief ledger, safely re-runnable.
 *
 * Two modes. Register: the calling village registers each row's beneficiary key with its
 * household hash. Attest (`attest` set to a kind): the calling department attests that kind for
 * each row's key, with the keccak256 of the row's evidence file. Only keys and hashes are sent:
 * the identity numbers stay on this machine (src/relief/key.ts).
 *
 * Nothing is written locally to make a re-run safe: the chain itself says what is done. Every row
 * is checked first, then the chain state of every key is read, and only what is missing is sent,
 * one transaction per row. A run killed half-way and run again, or a second importer working on
 * the same file at the same time, therefore sends nothing twice: a key registered by the calling
 * village (or an attestation held already) counts as skipped, not as an error. A key another
 * village registered is a row error naming that village: a person belongs to one village's roll.
 */
import { type Signer, ZeroAddress, getAddress, isAddress } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { type Deployment, requireRelief } from "../deployment.js";
import { InvalidInputError, LedgerError } from "../errors.js";
import { hashFile } from "../hash.js";
import { rolesHeldBy } from "../registry.js";
import { ROLE, roleLabel } from "../roles.js";
import { ATTESTATIONS, attestationOf } from "./attestations.js";
import { refusedRowCount, sortRowErrors } from "../table-file.js";
import type { BeneficiaryRow, RowError } from "./beneficiary-file.js";
import { type KeySource, localKeySource } from "./key-service-client.js";
import { attest, getBeneficiary, registerBeneficiary } from "./ledger.js";

/** What the importer reads of a key on chain (`IReliefLedger.Beneficiary`): zero village when unregistered. */
export interface BeneficiaryState {
  readonly village: string;
  /** Bit k: attestation kind k held. */
  readonly attestations: number;
}

/** One write the importer asks for: `registerBeneficiary(key, householdHash)` or `attest(key, kind, evidenceHash)`. */
export type ReliefWrite =
  | { readonly op: "register"; readonly line: number; readonly key: string; readonly householdHash: string }
  | {
      readonly op: "attest";
      readonly line: number;
      readonly key: string;
      readonly kind: number;
      readonly evidenceHash: string;
    };

/** Access to the chain, injected so that the importer can be tested on any ledger. */
export interface ReliefChainAccess {
  /** The state of a key (`beneficiary(key)`). */
  readonly read: (key: string) => Promise<BeneficiaryState>;
  /** Sends one write and waits for it to be mined; throws the (decoded) refusal. */
  readonly submit: (write: ReliefWrite) => Promise<{ txHash: string }>;
}

export interface ImportOptions extends ReliefChainAccess {
  /** Valid rows, as {@link readBeneficiaryFile} returns them. */
  readonly rows: readonly BeneficiaryRow[];
  /**
   * Who computes the keys and household hashes: the key service ({@link KeyServiceClient}), asked once
   * for the whole file. One of `keySource` and `secret` is required.
   */
  readonly keySource?: KeySource;
  /** The consortium secret, for the development chain and the tests only ({@link localKeySource}). */
  readonly secret?: Buffer;
  /** Progress of computing the keys (the key service's answer), before any row is read from the chain. */
  readonly onKeysProgress?: (done: number, total: number) => void;
  /** The calling account: the village (register) or the department (attest). */
  readonly account: string;
  /** Attest this kind (`ATTESTATIONS`); register when undefined. */
  readonly attest?: number;
  /** Chain reads in flight at once while checking the rows; 16 by default. */
  readonly readConcurrency?: number;
  /** Names an account in messages, e.g. by its organisation's name; the address alone by default. */
  readonly nameOf?: (account: string) => string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Problems the file reader found: they stop the import too (nothing sent) unless `skipRefused`. */
  readonly fileErrors?: readonly RowError[];
  /** Check every row and read the chain, send nothing; `toSend` says what would be sent. */
  readonly dryRun?: boolean;
  /** Send the valid rows even when some are refused (by default a refused row stops the whole import). */
  readonly skipRefused?: boolean;
}

export interface ImportResult {
  readonly mode: "register" | "attest";
  /** Rows the ledger holds as asked at the end: {@link registered} or {@link attested}, plus {@link skipped}. */
  readonly total: number;
  /** Keys registered by this run (register mode). */
  readonly registered: number;
  /** Keys attested by this run (attest mode). */
  readonly attested: number;
  /** Rows that were done already: registered by the calling village, or holding the attestation. */
  readonly skipped: number;
  /** Rows refused (each has one or more {@link errors}); nothing was sent for them. */
  readonly refused: number;
  readonly txHashes: readonly string[];
  /** Nothing was sent: a dry run, or rows were refused without `skipRefused`. */
  readonly stopped: boolean;
  /** Rows to send after the checks (sent, or what a dry run or a refused file would have sent). */
  readonly toSend: number;
  /** Why rows were refused, by line; values are masked (the file's errors included). */
  readonly errors: readonly RowError[];
}

interface Planned {
  readonly row: BeneficiaryRow;
  readonly write: ReliefWrite;
}

/**
 * Imports rows: checks every row (keys, household or evidence, duplicates) and reads every key's
 * chain state first (nothing is sent for a row with an error), then sends what is missing, one row
 * per transaction, in file order. A failing `submit` is looked into: when the key turns out to be
 * done meanwhile (another importer on the same file) the row is skipped, when another village took
 * it the row is refused; otherwise the import stops with the error, and the next run goes on from
 * where the chain is.
 */
export async function importBeneficiaries(opts: ImportOptions): Promise<ImportResult> {
  if (!isAddress(opts.account)) throw new InvalidInputError("account", opts.account, "not an address");
  const account = getAddress(opts.account);
  const kind = opts.attest;
  if (kind !== undefined && !ATTESTATIONS.some((a) => a.kind === kind)) {
    throw new InvalidInputError("attestation", kind, "not a defined attestation kind");
  }
  const concurrency = opts.readConcurrency ?? 16;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError("read concurrency", concurrency, "must be a whole number of at least 1");
  }
  const named = (a: string) => {
    const name = opts.nameOf?.(a) ?? a;
    return name === a ? a : `${a} (${name})`;
  };
  const what = kind === undefined ? undefined : attestationOf(kind);

  const errors: RowError[] = [];
  const fail = (row: BeneficiaryRow, field: string, value: string, reason: string) =>
    errors.push({ line: row.line, ...(row.sheet !== undefined ? { sheet: row.sheet } : {}), field, value, reason });

  // 1. Every row on its own: key, household or evidence, duplicates.
  const evidenceHashes = new Map<string, Promise<string>>();
  const seenKeys = new Map<string, number>();
  const checked: Planned[] = [];
  let source = opts.keySource;
  if (source === undefined) {
    if (opts.secret === undefined)
      throw new LedgerError("the importer needs a key source (the key service) or a secret");
    source = localKeySource(opts.secret);
  }
  // Every key and household hash of the file at once: one request to the key service.
  const hasHousehold = (row: BeneficiaryRow) => row.household !== undefined && row.household.trim() !== "";
  const computed = await source.compute(
    opts.rows.map((r) => r.idNumber),
    kind === undefined ? opts.rows.filter(hasHousehold).map((r) => r.household!) : [],
    opts.onKeysProgress,
  );
  let householdIndex = 0;
  for (const [rowIndex, row] of opts.rows.entries()) {
    const before = errors.length;
    const keyResult = computed.keys[rowIndex]!;
    const householdResult =
      kind === undefined && hasHousehold(row) ? computed.householdHashes[householdIndex++] : undefined;
    if ("problem" in keyResult) {
      fail(row, "idNumber", keyResult.value, keyResult.problem);
      continue;
    }
    const key = keyResult.key;
    const firstLine = seenKeys.get(key);
    if (firstLine !== undefined) {
      fail(row, "idNumber", row.maskedId, `duplicate: the same ID number is on line ${firstLine}`);
    } else seenKeys.set(key, row.line);

    let write: ReliefWrite | undefined;
    if (kind === undefined) {
      if (row.household === undefined || row.household.trim() === "") {
        fail(row, "household", "", "is empty: registering a beneficiary needs the household record (户编号)");
      } else {
        if (householdResult === undefined || "problem" in householdResult) {
          fail(row, "household", "(hidden)", householdResult?.problem ?? "no household hash was computed");
        } else write = { op: "register", line: row.line, key, householdHash: householdResult.key };
      }
    } else {
      if (row.attestation !== undefined && row.attestation !== kind) {
        const other = attestationOf(row.attestation);
        fail(
          row,
          "attestation",
          other.zh,
          `this row is for ${other.en} (${other.label.toLowerCase().replaceAll("_", "-")}), not ${what!.en}: import it with that --attest`,
        );
      }
      if (row.evidencePath === undefined) {
        fail(row, "evidence", "", "is empty: an attestation needs its evidence file (证明文件)");
      } else {
        let h = evidenceHashes.get(row.evidencePath);
        if (h === undefined) {
          h = hashFile(row.evidencePath);
          evidenceHashes.set(row.evidencePath, h);
        }
        try {
          write = { op: "attest", line: row.line, key, kind, evidenceHash: await h };
        } catch (e) {
          fail(row, "evidence", row.evidencePath, `cannot read the file: ${(e as Error).message}`);
        }
      }
    }
    if (errors.length > before || write === undefined) continue;
    checked.push({ row, write });
  }

  // 2. The chain state of every key, so that nothing done already is sent again.
  const states = await mapLimit(checked, concurrency, (p) => opts.read(p.write.key));
  const notRegistered = "not registered: its village must register this beneficiary before it is attested";
  /** Whether the write is done already (true), still to send (false), or refused (a reason). */
  const status = (p: Planned, s: BeneficiaryState): boolean | string => {
    const village = s.village === ZeroAddress ? undefined : getAddress(s.village);
    if (p.write.op === "register") {
      if (village === undefined) return false;
      if (village === account) return true;
      return `registered by another village: ${named(village)}`;
    }
    if (village === undefined) return notRegistered;
    return (s.attestations & (1 << p.write.kind)) !== 0;
  };
  const plan: Planned[] = [];
  let skipped = 0;
  checked.forEach((p, i) => {
    const s = status(p, states[i]!);
    if (s === true) skipped++;
    else if (s === false) plan.push(p);
    else fail(p.row, "idNumber", p.row.maskedId, s);
  });

  // A refused row stops the whole import unless skipRefused; a dry run sends nothing.
  const stop =
    opts.dryRun === true || (errors.length + (opts.fileErrors?.length ?? 0) > 0 && opts.skipRefused !== true);
  const toSend = plan.length;
  if (stop) plan.length = 0;

  // 3. One transaction per row, in file order.
  let written = 0;
  let done = 0;
  const txHashes: string[] = [];
  if (plan.length > 0) opts.onProgress?.(0, plan.length);
  for (const p of plan) {
    try {
      const { txHash } = await opts.submit(p.write);
      txHashes.push(txHash);
      written++;
    } catch (e) {
      // Refused, or lost on the way: what does the chain say now?
      let now: boolean | string;
      try {
        now = status(p, await opts.read(p.write.key));
      } catch {
        throw e;
      }
      if (now === true) skipped++;
      else if (typeof now === "string") fail(p.row, "idNumber", p.row.maskedId, now);
      else throw e;
    }
    done++;
    opts.onProgress?.(done, plan.length);
  }

  const sorted = sortRowErrors([...(opts.fileErrors ?? []), ...errors]);
  return {
    mode: kind === undefined ? "register" : "attest",
    total: written + skipped,
    registered: kind === undefined ? written : 0,
    attested: kind === undefined ? 0 : written,
    skipped,
    refused: refusedRowCount(sorted),
    txHashes,
    stopped: stop,
    toSend,
    errors: sorted,
  };
}

/** `f` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The chain access of the real ledger, through the same operations as the CLI (src/relief/ledger.ts):
 * reads the beneficiary, and sends each write simulated first (a refusal comes back as a readable
 * error) from `signer`.
 */
export function reliefChainAccess(d: Deployment, signer: Signer, overrides: LegacyOverrides): ReliefChainAccess {
  return {
    read: async (key) => {
      const b = await getBeneficiary(d, key);
      return { village: b?.village ?? ZeroAddress, attestations: b?.attestations ?? 0 };
    },
    submit: async (w) => {
      const written =
        w.op === "register"
          ? await registerBeneficiary(d, signer, w.key, w.householdHash, overrides)
          : await attest(d, signer, w.key, w.kind, w.evidenceHash, overrides);
      return { txHash: written.txHash };
    },
  };
}

/**
 * Refuses, before any row is read from the chain, an account that cannot do the import: registering
 * takes the VILLAGE role, attesting a kind takes the role the ledger names for that kind.
 */
export async function requireImportRole(d: Deployment, account: string, attest?: number): Promise<void> {
  const relief = requireRelief(d);
  let role: bigint;
  let action: string;
  if (attest === undefined) {
    role = ROLE.VILLAGE;
    action = "registering beneficiaries";
  } else {
    const a = attestationOf(attest);
    role = BigInt(await relief.attesterRole(a.kind));
    if (role === 0n) throw new LedgerError(`attestation ${a.label} (${a.zh}) is not defined on this chain`);
    action = `attesting ${a.en} (${a.zh})`;
  }
  const [isMember, delay] = await d.manager.hasRole(role, account);
  if (isMember && delay === 0n) return;
  const held = await rolesHeldBy(d.manager, account);
  throw new LedgerError(
    `${action} needs role ${roleLabel(role)}; ${account} holds ${held.length === 0 ? "no role" : held.join(", ")}`,
  );
}
