/**
 * Decoding with the project's typechain interfaces (src/contracts.ts INTERFACES): no hand-written
 * ABI. Values become JSON-safe: integers as decimal strings, bytes as lower-case hex, tuples as
 * objects by component name.
 */
import {
  getAddress,
  type EventFragment,
  type FunctionFragment,
  type Interface,
  type ParamType,
  type Result,
} from "ethers";

import type { Deployment } from "../deployment.js";
import { GOVERNANCE_INTERFACES, INTERFACES } from "../contracts.js";
import type { ArgValue } from "./api-types.js";

/** A contract the indexer follows. */
export interface IndexedContract {
  readonly name: string;
  /** Checksummed address. */
  readonly address: string;
  readonly iface: Interface;
}

/** The interfaces of every contract the indexer follows: the wired ones, the manager, the council and the brake. */
const INDEXED_INTERFACES: Readonly<Record<string, Interface>> = { ...INTERFACES, ...GOVERNANCE_INTERFACES };

/** The deployment's contracts, with their interfaces. */
export function deploymentContracts(d: Deployment): IndexedContract[] {
  return Object.entries(d.addresses)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] in INDEXED_INTERFACES)
    .map(([name, address]) => ({ name, address, iface: INDEXED_INTERFACES[name]! }));
}

/** One decoded value of type `param` (from a Result or the plain arrays of `Result.toArray(true)`). */
export function jsonValue(param: ParamType, value: unknown): ArgValue {
  if (param.baseType === "tuple") {
    const r = value as unknown[];
    const out: Record<string, ArgValue> = {};
    (param.components ?? []).forEach((c, i) => (out[c.name || String(i)] = jsonValue(c, r[i])));
    return out;
  }
  if (param.baseType === "array") {
    return Array.from(value as unknown[], (v) => jsonValue(param.arrayChildren!, v));
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value;
  if (typeof value === "string")
    return param.type === "address" ? value : value.startsWith("0x") ? value.toLowerCase() : value;
  return String(value);
}

/** Decoded arguments by name (or position when unnamed). */
export function jsonArgs(params: readonly ParamType[], values: Result | readonly unknown[]): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  params.forEach((p, i) => (out[p.name || String(i)] = jsonValue(p, values[i])));
  return out;
}

/**
 * Whether a non-indexed bytes32 argument is worth finding by value: document hashes (`…Hash`:
 * evidence, permits, reports, reasons), lot codes (a transformation's `outputLot` too) and the batch ids of TraceUnits
 * records. Reference hashes, household hashes and donor
 * commitments are found through their records, not searched by value.
 */
function searchable(name: string): boolean {
  return (
    (name.endsWith("Hash") && name !== "refHash" && name !== "householdHash") ||
    name === "lotCode" ||
    name === "lotCodes" ||
    name === "outputLot" ||
    name === "batches" // batch ids a TraceUnits container lists or a business transaction binds
  );
}

/**
 * The searchable bytes32 values of non-indexed arguments, with their path: what a document check
 * or a lot-code search looks up (indexed arguments are found through the topics).
 */
export function bytes32Refs(
  params: readonly ParamType[],
  values: Result | readonly unknown[],
  prefix = "",
): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  params.forEach((p, i) => {
    if (p.indexed === true) return;
    const path = prefix + (p.name || String(i));
    const v = values[i];
    if (p.type === "bytes32" && searchable(p.name)) {
      const hex = (v as string).toLowerCase();
      if (!/^0x0{64}$/.test(hex)) out.push({ field: path, value: hex });
    } else if (p.baseType === "tuple") {
      out.push(...bytes32Refs(p.components ?? [], v as unknown[], `${path}.`));
    } else if (p.baseType === "array" && p.arrayChildren?.type === "bytes32" && searchable(p.name)) {
      for (const item of v as unknown[]) out.push({ field: `${path}[]`, value: (item as string).toLowerCase() });
    }
  });
  return out;
}

/** How one argument of an all-static event is read from its 32-byte word. */
type WordReader = (word: string) => unknown;

/**
 * Readers for an event whose arguments are all one-word value types (uintN, address, bool,
 * bytesN), which most ledger events are: reading the words directly is many times faster than
 * ethers' general decoder and gives the same values (uints masked to their size, the address from
 * the low 20 bytes, bytesN from the high N bytes, as ethers' coders do). Undefined when any
 * argument needs the general decoder (tuples, arrays, strings, signed integers).
 */
function wordReaders(fragment: EventFragment): WordReader[] | undefined {
  const readers: WordReader[] = [];
  for (const p of fragment.inputs) {
    const reader = wordReader(p.type);
    if (reader === undefined) return undefined;
    readers.push(reader);
  }
  return readers;
}

/** The reader of one one-word value type (see {@link wordReaders}), or undefined for any other type. */
function wordReader(type: string): WordReader | undefined {
  const uint = /^uint(\d+)$/.exec(type);
  const bytes = /^bytes(\d+)$/.exec(type);
  if (uint !== null) {
    const mask = (1n << BigInt(uint[1]!)) - 1n;
    return (w) => BigInt("0x" + w) & mask;
  }
  if (type === "address") return (w) => checksummed("0x" + w.slice(24));
  if (type === "bool") return (w) => BigInt("0x" + w) !== 0n;
  if (bytes !== null) {
    const n = Number(bytes[1]) * 2;
    return (w) => "0x" + w.slice(0, n).toLowerCase();
  }
  return undefined;
}

/** Checksummed addresses, remembered: a ledger's events name the same few organisations again and again. */
const CHECKSUMMED = new Map<string, string>();

export function checksummed(lower: string): string {
  let a = CHECKSUMMED.get(lower);
  if (a === undefined) {
    if (CHECKSUMMED.size >= 10_000) CHECKSUMMED.clear();
    a = getAddress(lower);
    CHECKSUMMED.set(lower, a);
  }
  return a;
}

/** Reads a value of a static layout (one-word types and tuples of them) from word `at` of `hex`. */
interface StaticReader {
  readonly words: number;
  read(hex: string, at: number): unknown;
}

function staticReader(p: ParamType): StaticReader | undefined {
  if (p.baseType === "tuple") {
    const parts: StaticReader[] = [];
    for (const c of p.components ?? []) {
      const r = staticReader(c);
      if (r === undefined) return undefined;
      parts.push(r);
    }
    const offsets: number[] = [];
    let words = 0;
    for (const r of parts) {
      offsets.push(words);
      words += r.words;
    }
    return { words, read: (hex, at) => parts.map((r, i) => r.read(hex, at + offsets[i]!)) };
  }
  const w = wordReader(p.type);
  return w === undefined ? undefined : { words: 1, read: (hex, at) => w(hex.slice(at * 64, at * 64 + 64)) };
}

/** A parameter read in place, or a dynamic array (`T[]`) of a static `T` found through its offset word. */
type ParamReader = { readonly inline: StaticReader } | { readonly arrayOf: StaticReader };

/**
 * Decodes calls to one contract. Parameters of one-word types, static tuples of them, and dynamic
 * arrays of those (`recordDonations(bytes32, CashDonation[])`: a batch of 100 is 19 KB of calldata)
 * are read straight from the words, as {@link LogDecoder} does for events; ethers' general decoder
 * copies its input for every value read and took a large share of a backfill. Anything else, or
 * calldata whose offsets or lengths do not fit, goes to ethers. Only calls of mined transactions
 * that emitted events are decoded: the contract's own ABI decoder accepted their calldata.
 */
export class CallDecoder {
  readonly #iface: Interface;
  readonly #bySelector = new Map<string, { fragment: FunctionFragment; readers?: ParamReader[] } | null>();

  constructor(iface: Interface) {
    this.#iface = iface;
  }

  decode(data: string, value: bigint): { name: string; inputs: readonly ParamType[]; values: unknown[] } | undefined {
    const selector = data.slice(0, 10).toLowerCase();
    let known = this.#bySelector.get(selector);
    if (known === undefined) {
      let fragment: FunctionFragment | null = null;
      try {
        fragment = this.#iface.getFunction(selector);
      } catch {
        fragment = null;
      }
      known = fragment === null ? null : { fragment, ...paramReaders(fragment) };
      this.#bySelector.set(selector, known);
    }
    if (known === null) return undefined;
    const { fragment, readers } = known;
    const fast = readers !== undefined ? readInPlace(readers, data.slice(10)) : undefined;
    if (fast !== undefined) return { name: fragment.name, inputs: fragment.inputs, values: fast };
    try {
      const parsed = this.#iface.parseTransaction({ data, value });
      return parsed === null
        ? undefined
        : { name: parsed.name, inputs: parsed.fragment.inputs, values: parsed.args.toArray(true) };
    } catch {
      return undefined;
    }
  }
}

function paramReaders(fragment: FunctionFragment): { readers?: ParamReader[] } {
  const readers: ParamReader[] = [];
  for (const p of fragment.inputs) {
    if (p.baseType === "array" && p.arrayLength === -1) {
      const child = staticReader(p.arrayChildren!);
      if (child === undefined) return {};
      readers.push({ arrayOf: child });
      continue;
    }
    const inline = staticReader(p);
    if (inline === undefined) return {};
    readers.push({ inline });
  }
  return { readers };
}

/** The values of `readers` from the hex arguments (no selector, no 0x), or undefined when they do not fit. */
function readInPlace(readers: readonly ParamReader[], hex: string): unknown[] | undefined {
  if (hex.length % 64 !== 0) return undefined;
  const total = hex.length / 64;
  const values: unknown[] = [];
  let head = 0;
  for (const r of readers) {
    if ("inline" in r) {
      if (head + r.inline.words > total) return undefined;
      values.push(r.inline.read(hex, head));
      head += r.inline.words;
      continue;
    }
    if (head + 1 > total) return undefined;
    const offset = Number.parseInt(hex.slice(head * 64, head * 64 + 64), 16);
    head++;
    if (!Number.isSafeInteger(offset) || offset % 32 !== 0 || offset / 32 + 1 > total) return undefined;
    const at = offset / 32;
    const length = Number.parseInt(hex.slice(at * 64, at * 64 + 64), 16);
    if (!Number.isSafeInteger(length) || at + 1 + length * r.arrayOf.words > total) return undefined;
    const items: unknown[] = [];
    for (let k = 0; k < length; k++) items.push(r.arrayOf.read(hex, at + 1 + k * r.arrayOf.words));
    values.push(items);
  }
  return values;
}

/** Decodes the logs of one contract, looking each event fragment up once per topic. */
export class LogDecoder {
  readonly #iface: Interface;
  readonly #byTopic = new Map<string, { fragment: EventFragment; readers?: WordReader[] } | null>();

  constructor(iface: Interface) {
    this.#iface = iface;
  }

  decode(
    topics: readonly string[],
    data: string,
  ): { name: string; inputs: readonly ParamType[]; values: unknown[] } | undefined {
    const topic0 = topics[0];
    if (topic0 === undefined) return undefined;
    let known = this.#byTopic.get(topic0);
    if (known === undefined) {
      const fragment = this.#iface.getEvent(topic0);
      const readers = fragment !== null ? wordReaders(fragment) : undefined;
      known = fragment === null ? null : readers !== undefined ? { fragment, readers } : { fragment };
      this.#byTopic.set(topic0, known);
    }
    if (known === null) return undefined;
    const { fragment, readers } = known;
    const indexed = fragment.inputs.filter((p) => p.indexed === true).length;
    if (readers !== undefined && topics.length === indexed + 1 && data.length === 2 + 64 * (readers.length - indexed)) {
      let topic = 1;
      let word = 0;
      const values = fragment.inputs.map((p, i) =>
        readers[i]!(p.indexed === true ? topics[topic++]!.slice(2) : data.slice(2 + 64 * word, 2 + 64 * ++word)),
      );
      return { name: fragment.name, inputs: fragment.inputs, values };
    }
    try {
      // Plain arrays: reading a Result goes through a Proxy on every access.
      const values = this.#iface.decodeEventLog(fragment, data, topics).toArray(true);
      return { name: fragment.name, inputs: fragment.inputs, values };
    } catch {
      return undefined;
    }
  }
}
