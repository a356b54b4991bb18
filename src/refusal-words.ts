/**
 * Words the refusal sentences of every domain share (see `src/refusals.ts`, which composes them).
 */
import { formatYuan } from "./money.js";

/** A decoded error argument that is an amount of fen, as yuan with the symbol. */
export const yuan = (fen: unknown) => (typeof fen === "bigint" ? formatYuan(fen, { symbol: true }) : String(fen));

/** The name at a decoded enum argument's position, or the raw value. */
export const nameAt = (names: readonly string[], value: unknown) => names[Number(value)] ?? String(value);

/** A call relayed through the permission hub (`AccessManager.execute`): it would hide who acted. */
export const relayedCall = (a: Readonly<Record<string, unknown>>) =>
  `calls relayed through the permission hub (${a.manager}) are refused: every record names the organisation that acted, so call the ledger directly`;

/** `caller` lacks `requiredRole` (0: any of the roles the step takes). */
export const lacksRole = (a: Readonly<Record<string, unknown>>, roleLabel: (role: bigint) => string) =>
  a.requiredRole === 0n
    ? `${a.caller} holds none of the roles this step takes`
    : `${a.caller} does not hold ${roleLabel(a.requiredRole as bigint)}, which this step needs`;
