/**
 * The contracts' typechain interfaces (the only ABI source) and the decoding of their custom
 * errors from revert data.
 */
import { Interface } from "ethers";

import {
  AccessManager__factory,
  CharityLedger__factory,
  DocumentDigests__factory,
  EmergencyBrake__factory,
  KeyServiceAnchor__factory,
  PublicNames__factory,
  OrgRegistry__factory,
  ReliefLedger__factory,
  ReliefReceipts__factory,
  TimelockController__factory,
  TraceLedger__factory,
  TraceUnits__factory,
  TransparentUpgradeableProxy__factory,
} from "../types/ethers-contracts/index.js";
import type { WiredContract } from "../deploy/wiring.js";
import { creditCodeFromBytes18 } from "./credit-code.js";
import { ChainRefusal, type DecodedRevert } from "./errors.js";
import { roleLabel } from "./roles.js";

/**
 * A contract's interface as its proxy's address speaks it: its own, plus the events the proxy itself
 * emits at that address (`Upgraded` when the code behind it changes, `AdminChanged` when it is set up),
 * so that the indexer and the explorer show an upgrade as one more event of the ledger.
 */
function behindProxy(iface: Interface): Interface {
  const proxy = TransparentUpgradeableProxy__factory.createInterface() as unknown as Interface;
  const events = proxy.fragments.filter((f) => f.type === "event" && iface.getEvent(f.format("sighash")) === null);
  return new Interface([...iface.fragments, ...events]);
}

/** Typechain interfaces of the wired contracts (the ledgers and the registry as their proxies speak): the only ABI source. */
export const INTERFACES: Readonly<Record<WiredContract | "AccessManager", Interface>> = {
  AccessManager: AccessManager__factory.createInterface() as unknown as Interface,
  OrgRegistry: behindProxy(OrgRegistry__factory.createInterface() as unknown as Interface),
  CharityLedger: behindProxy(CharityLedger__factory.createInterface() as unknown as Interface),
  TraceLedger: behindProxy(TraceLedger__factory.createInterface() as unknown as Interface),
  TraceUnits: behindProxy(TraceUnits__factory.createInterface() as unknown as Interface),
  ReliefLedger: behindProxy(ReliefLedger__factory.createInterface() as unknown as Interface),
  KeyServiceAnchor: KeyServiceAnchor__factory.createInterface() as unknown as Interface,
  PublicNames: PublicNames__factory.createInterface() as unknown as Interface,
  ReliefReceipts: ReliefReceipts__factory.createInterface() as unknown as Interface,
  DocumentDigests: DocumentDigests__factory.createInterface() as unknown as Interface,
};

/** Interfaces of the governance contracts: the council (OpenZeppelin's TimelockController) and the emergency brake. */
export const GOVERNANCE_INTERFACES = {
  Council: TimelockController__factory.createInterface() as unknown as Interface,
  EmergencyBrake: EmergencyBrake__factory.createInterface() as unknown as Interface,
} as const;

/** Decodes revert data with the project's typechain interfaces. */
export function decodeRevert(
  data: string | null | undefined,
  interfaces: Iterable<Interface> = [...Object.values(INTERFACES), ...Object.values(GOVERNANCE_INTERFACES)],
): DecodedRevert | undefined {
  if (data === null || data === undefined || data === "0x") return undefined;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed === null) continue;
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => {
        args[input.name] = parsed.args[i];
      });
      return { name: parsed.name, args };
    } catch {
      // not this interface's error
    }
  }
  return undefined;
}

function show(value: unknown, key: string): string {
  if (typeof value === "bigint" && /role/i.test(key)) return roleLabel(value);
  if (typeof value === "string" && /creditCode/.test(key) && /^0x[0-9a-f]{36}$/i.test(value))
    return creditCodeFromBytes18(value);
  return String(value);
}

/** One readable line for a decoded revert. */
export function describeRevert(r: DecodedRevert): string {
  const args = Object.entries(r.args)
    .map(([k, v]) => `${k}=${show(v, k)}`)
    .join(", ");
  return `${r.name}(${args})`;
}

/** Revert data carried by an error from ethers, Hardhat's providers or the in-process network. */
export function revertData(e: unknown): string | undefined {
  for (let x: unknown = e, depth = 0; typeof x === "object" && x !== null && depth < 4; depth++) {
    const data = (x as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data;
    x = (x as { error?: unknown; cause?: unknown }).error ?? (x as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The {@link ChainRefusal} a contract call's error carries, when its revert data decodes. */
export function chainRefusalOf(e: unknown): ChainRefusal | undefined {
  if (e instanceof ChainRefusal) return e;
  const decoded = decodeRevert(revertData(e));
  return decoded === undefined ? undefined : new ChainRefusal(decoded, describeRevert(decoded));
}
