/**
 * The upgradeable contracts: each is deployed as an implementation behind a transparent proxy whose
 * ProxyAdmin the AccessManager owns (deploy/modules/proxy.ts). Their storage layouts are compiled into
 * the build info (hardhat.config.ts) and checked against the recorded ones (scripts/upgrade-layouts.ts).
 */

/** Contract name → its source file. */
export const UPGRADEABLE_CONTRACTS = {
  OrgRegistry: "contracts/registry/OrgRegistry.sol",
  CharityLedger: "contracts/charity/CharityLedger.sol",
  TraceLedger: "contracts/trace/TraceLedger.sol",
  TraceUnits: "contracts/trace/TraceUnits.sol",
  ReliefLedger: "contracts/relief/ReliefLedger.sol",
} as const;

export type UpgradeableContract = keyof typeof UPGRADEABLE_CONTRACTS;

export const UPGRADEABLE_SOURCES: readonly string[] = Object.values(UPGRADEABLE_CONTRACTS);

/** The upgrade test's versions 2 (test/upgrade/upgrade.ts): one compatible, one that must be refused. */
export const UPGRADE_TEST_SOURCES: readonly string[] = [
  "test/upgrade/ReliefLedgerV2.sol",
  "test/upgrade/ReliefLedgerBadLayout.sol",
];
