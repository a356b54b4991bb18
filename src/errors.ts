import { type Interface, isCallException } from "ethers";

import { INTERFACES } from "./wiring.js";
import { roleLabel } from "./roles.js";
import { creditCodeFromBytes18 } from "./credit-code.js";

/** A refusal a user can act on, said in one line. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/** Decoded custom error from a revert: its name and named arguments. */
export interface DecodedRevert {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** Decodes revert data with the project's typechain interfaces. */
export function decodeRevert(
  data: string | null | undefined,
  interfaces: Iterable<Interface> = Object.values(INTERFACES),
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

/** Turns whatever a contract call threw into a LedgerError when it is a known revert. */
export function explainError(e: unknown): Error {
  if (e instanceof LedgerError) return e;
  if (isCallException(e)) {
    const decoded = decodeRevert(e.data);
    if (decoded !== undefined) return new LedgerError(`the chain refused: ${describeRevert(decoded)}`);
    return new LedgerError(`the chain refused the transaction: ${e.shortMessage}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
