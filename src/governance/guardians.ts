/**
 * The emergency brake's guardians: which role may close each ledger at once (EmergencyBrake.close).
 * Only the council reopens a ledger, after its delay. Each ledger is guarded by the department that
 * supervises its domain and would be first to see it misused:
 *  - charity: civil affairs (it approves projects and registers charities),
 *  - traceability (the ledger and its serialised units): the market regulator (it registers producers and
 *    recalls batches),
 *  - poverty relief: finance (it creates programmes and appropriates the money).
 * Deployment data, applied by deploy/modules/Governance.ts and shown by the explorer.
 */
import type { RoleLabel } from "../roles.js";

export const GUARDIANS = {
  CharityLedger: "CIVIL_AFFAIRS",
  TraceLedger: "MARKET_REGULATOR",
  TraceUnits: "MARKET_REGULATOR",
  ReliefLedger: "FINANCE",
} as const satisfies Readonly<Record<string, RoleLabel>>;

export type GuardedLedger = keyof typeof GUARDIANS;
