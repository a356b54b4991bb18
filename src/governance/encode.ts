/**
 * A council call from words a person types: `<contract> <function> [arguments…]`, e.g.
 * `manager setTargetClosed charity true`, `registry register 0x… FINANCE 台山市财政局 <credit code> 0x…`,
 * `manager setTargetFunctionRole charity disburse,grant CHARITY`. Contracts by name or alias, roles by
 * label or 中文名, selectors by function name of the target named before them.
 */
import { type FunctionFragment, type Interface, type ParamType, ZeroHash, getAddress, isAddress } from "ethers";

import type { Deployment, FoundationAddresses } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { PUBLIC_ROLE, SEALED_ROLE, findRole } from "../roles.js";
import { GOVERNANCE_INTERFACES, INTERFACES } from "../contracts.js";
import type { CouncilCall } from "./council.js";

const ALIASES: Readonly<Record<string, keyof FoundationAddresses>> = {
  manager: "AccessManager",
  accessmanager: "AccessManager",
  registry: "OrgRegistry",
  orgregistry: "OrgRegistry",
  charity: "CharityLedger",
  charityledger: "CharityLedger",
  trace: "TraceLedger",
  traceledger: "TraceLedger",
  units: "TraceUnits",
  traceunits: "TraceUnits",
  relief: "ReliefLedger",
  reliefledger: "ReliefLedger",
  council: "Council",
  brake: "EmergencyBrake",
  emergencybrake: "EmergencyBrake",
};

const ALL: Readonly<Record<keyof FoundationAddresses, Interface>> = { ...INTERFACES, ...GOVERNANCE_INTERFACES };

/** The deployment contract a word names (alias, name or address). */
export function resolveContract(
  addresses: FoundationAddresses,
  word: string,
): { name?: keyof FoundationAddresses; address: string } {
  const name = ALIASES[word.trim().toLowerCase()];
  if (name !== undefined) {
    const address = addresses[name];
    if (address === undefined) throw new LedgerError(`${name} is not deployed on this chain`);
    return { name, address };
  }
  if (isAddress(word)) {
    const address = getAddress(word);
    const known = (Object.keys(addresses) as (keyof FoundationAddresses)[]).find((k) => addresses[k] === address);
    return known !== undefined ? { name: known, address } : { address };
  }
  throw new LedgerError(
    `unknown contract ${JSON.stringify(word)}: use an address or one of ${Object.keys(ALIASES).join(", ")}`,
  );
}

function parseArg(addresses: FoundationAddresses, p: ParamType, word: string, lastTarget: string | undefined): unknown {
  const bad = (why: string) =>
    new LedgerError(`argument ${p.name || p.type} (${p.type}): ${why}: ${JSON.stringify(word)}`);
  if (p.type === "address") return resolveContract(addresses, word).address;
  if (p.type === "bool") {
    if (/^(true|yes|1)$/i.test(word)) return true;
    if (/^(false|no|0)$/i.test(word)) return false;
    throw bad("expected true or false");
  }
  if (p.type === "bytes4[]") {
    const target = lastTarget === undefined ? undefined : resolveContract(addresses, lastTarget);
    const iface = target?.name !== undefined ? ALL[target.name] : undefined;
    return word.split(",").map((w) => {
      const s = w.trim();
      if (/^0x[0-9a-fA-F]{8}$/.test(s)) return s.toLowerCase();
      const f = iface?.getFunction(s);
      if (f === null || f === undefined) throw bad(`no function ${s} on the target`);
      return f.selector;
    });
  }
  if (/^uint\d+$/.test(p.type)) {
    if (/^\d+$/.test(word)) return BigInt(word);
    if (/role|kind|admin|guardian|attester/i.test(p.name)) {
      if (/^public$/i.test(word)) return PUBLIC_ROLE;
      if (/^sealed$/i.test(word)) return SEALED_ROLE;
      const role = findRole(word);
      if (role !== undefined) return role.id;
    }
    throw bad("expected a number (or a role label for a role)");
  }
  if (p.type === "bytes32") {
    if (/^0x[0-9a-fA-F]{64}$/.test(word)) return word.toLowerCase();
    if (word === "0" || word === "") return ZeroHash;
    throw bad("expected 0x and 64 hex digits");
  }
  if (p.type === "string") return word;
  if (p.type === "bytes") {
    if (/^0x([0-9a-fA-F]{2})*$/.test(word)) return word;
    throw bad("expected 0x-prefixed hex bytes");
  }
  throw bad(`type ${p.type} is not supported on the command line: pass the whole call as --calldata`);
}

/** Encodes `fn(args…)` on the contract `contract` names. */
export function encodeCouncilCall(d: Deployment, contract: string, fn: string, args: readonly string[]): CouncilCall {
  const target = resolveContract(d.addresses, contract);
  if (target.name === undefined)
    throw new LedgerError(`${target.address} is not a contract of this deployment: pass the whole call as --calldata`);
  const iface = ALL[target.name];
  let f: FunctionFragment | null = null;
  try {
    f = iface.getFunction(fn);
  } catch (e) {
    throw new LedgerError(`${target.name}.${fn}: ${(e as Error).message.split(" (")[0]}`);
  }
  if (f === null || f.constant) throw new LedgerError(`${target.name} has no function ${fn} that changes state`);
  if (args.length !== f.inputs.length)
    throw new LedgerError(
      `${target.name}.${f.name} takes ${f.inputs.length} arguments (${f.inputs.map((i) => `${i.type} ${i.name}`).join(", ")}), got ${args.length}`,
    );
  let lastTarget: string | undefined;
  const values = f.inputs.map((p, i) => {
    const v = parseArg(d.addresses, p, args[i]!, lastTarget);
    if (p.type === "address") lastTarget = args[i];
    return v;
  });
  return { target: target.address, data: iface.encodeFunctionData(f, values) };
}
