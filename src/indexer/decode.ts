/**
 * Decoding with the project's typechain interfaces (src/wiring.ts INTERFACES): no hand-written
 * ABI. Values become JSON-safe: integers as decimal strings, bytes as lower-case hex, tuples as
 * objects by component name.
 */
import type { EventFragment, Interface, ParamType, Result } from "ethers";

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

/** Decodes the logs of one contract, looking each event fragment up once per topic. */
export class LogDecoder {
  readonly #iface: Interface;
  readonly #byTopic = new Map<string, EventFragment | null>();

  constructor(iface: Interface) {
    this.#iface = iface;
  }

  decode(
    topics: readonly string[],
    data: string,
  ): { name: string; inputs: readonly ParamType[]; values: unknown[] } | undefined {
    const topic0 = topics[0];
    if (topic0 === undefined) return undefined;
    let fragment = this.#byTopic.get(topic0);
    if (fragment === undefined) {
      fragment = this.#iface.getEvent(topic0);
      this.#byTopic.set(topic0, fragment);
    }
    if (fragment === null) return undefined;
    try {
      // Plain arrays: reading a Result goes through a Proxy on every access.
      const values = this.#iface.decodeEventLog(fragment, data, topics).toArray(true);
      return { name: fragment.name, inputs: fragment.inputs, values };
    } catch {
      return undefined;
    }
  }
}
