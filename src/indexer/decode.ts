/**
 * Decoding with the project's typechain interfaces (src/wiring.ts INTERFACES): no hand-written
 * ABI. Values become JSON-safe: integers as decimal strings, bytes as lower-case hex, tuples as
 * objects by component name.
 */
import { getAddress, type EventFragment, type Interface, type ParamType, type Result } from "ethers";

import type { Deployment } from "../deployment.js";
import { INTERFACES } from "../wiring.js";
import type { ArgValue } from "./api-types.js";

/** A contract the indexer follows. */
export interface IndexedContract {
  readonly name: string;
  /** Checksummed address. */
  readonly address: string;
  readonly iface: Interface;
}

/** The deployment's contracts, with their interfaces. */
export function deploymentContracts(d: Deployment): IndexedContract[] {
  return Object.entries(d.addresses)
    .filter((entry): entry is [keyof typeof INTERFACES, string] => entry[1] !== undefined && entry[0] in INTERFACES)
    .map(([name, address]) => ({ name, address, iface: INTERFACES[name] }));
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
 * evidence, permits, reports, reasons) and lot codes. Reference hashes, household hashes and donor
 * commitments are found through their records, not searched by value.
 */
function searchable(name: string): boolean {
  return (
    (name.endsWith("Hash") && name !== "refHash" && name !== "householdHash") ||
    name === "lotCode" ||
    name === "lotCodes"
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
    const uint = /^uint(\d+)$/.exec(p.type);
    const bytes = /^bytes(\d+)$/.exec(p.type);
    if (uint !== null) {
      const mask = (1n << BigInt(uint[1]!)) - 1n;
      readers.push((w) => BigInt("0x" + w) & mask);
    } else if (p.type === "address") readers.push((w) => getAddress("0x" + w.slice(24)));
    else if (p.type === "bool") readers.push((w) => BigInt("0x" + w) !== 0n);
    else if (bytes !== null) {
      const n = Number(bytes[1]) * 2;
      readers.push((w) => "0x" + w.slice(0, n).toLowerCase());
    } else return undefined;
  }
  return readers;
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
