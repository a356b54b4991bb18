/**
 * Decoding with the project's typechain interfaces (src/wiring.ts INTERFACES): no hand-written
 * ABI. Values become JSON-safe: integers as decimal strings, bytes as lower-case hex, tuples as
 * objects by component name.
 */
import type { Interface, ParamType, Result } from "ethers";

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

/** One decoded value of type `param`. */
export function jsonValue(param: ParamType, value: unknown): ArgValue {
  if (param.baseType === "tuple") {
    const r = value as Result;
    const out: Record<string, ArgValue> = {};
    (param.components ?? []).forEach((c, i) => (out[c.name || String(i)] = jsonValue(c, r[i])));
    return out;
  }
  if (param.baseType === "array") {
    return Array.from(value as Result, (v) => jsonValue(param.arrayChildren!, v));
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value;
  if (typeof value === "string")
    return param.type === "address" ? value : value.startsWith("0x") ? value.toLowerCase() : value;
  return String(value);
}

/** Decoded arguments by name (or position when unnamed). */
export function jsonArgs(params: readonly ParamType[], values: Result): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  params.forEach((p, i) => (out[p.name || String(i)] = jsonValue(p, values[i])));
  return out;
}

/**
 * Every bytes32 value of non-indexed arguments, with its path: what a document check or a lot-code
 * search looks up (indexed arguments are found through the topics).
 */
export function bytes32Refs(
  params: readonly ParamType[],
  values: Result,
  prefix = "",
): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  params.forEach((p, i) => {
    if (p.indexed === true) return;
    const path = prefix + (p.name || String(i));
    const v = values[i];
    if (p.type === "bytes32") {
      const hex = (v as string).toLowerCase();
      if (!/^0x0{64}$/.test(hex)) out.push({ field: path, value: hex });
    } else if (p.baseType === "tuple") {
      out.push(...bytes32Refs(p.components ?? [], v as Result, `${path}.`));
    } else if (p.baseType === "array" && p.arrayChildren?.type === "bytes32") {
      for (const item of v as Result) out.push({ field: `${path}[]`, value: (item as string).toLowerCase() });
    }
  });
  return out;
}
