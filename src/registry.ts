/**
 * The organisation registry, as the CLI, scripts, indexer, explorer and tests use it.
 * Writes validate everything they can before sending, so a refusal costs nothing and
 * says which field or which role is wrong.
 */
import { type Signer, ZeroHash, getAddress, isAddress } from "ethers";

import type { AccessManager } from "../types/ethers-contracts/index.js";
import type { IOrgRegistry } from "../types/ethers-contracts/contracts/registry/OrgRegistry.js";
import type { LegacyOverrides } from "./chain.js";
import { creditCodeFromBytes18, creditCodeToBytes18, parseCreditCode } from "./credit-code.js";
import type { Deployment } from "./deployment.js";
import { InvalidInputError, LedgerError } from "./errors.js";
import { parseBytes32 } from "./hash.js";
import { ORG_KINDS, ROLE, ROLES, findOrgKind, type OrgKind } from "./roles.js";
import { sendChecked } from "./tx.js";

export type OrgStatus = "active" | "suspended";

/** An organisation as read back from the registry. */
export interface Organisation {
  readonly account: string;
  readonly kind: OrgKind;
  readonly status: OrgStatus;
  readonly name: string;
  readonly creditCode: string;
  readonly metadataHash: string;
  readonly registeredAt: Date;
}

/** What `register` needs, as a user types it. */
export interface RegistrationInput {
  readonly account: string;
  readonly kind: string | number;
  readonly name: string;
  readonly creditCode: string;
  readonly metadataHash?: string;
}

/** A registration that passed validation. */
export interface Registration {
  readonly account: string;
  readonly kind: OrgKind;
  readonly name: string;
  readonly creditCode: string;
  readonly metadataHash: string;
}

const STATUS: Record<number, OrgStatus | undefined> = { 1: "active", 2: "suspended" };

/** Parses an address; throws naming the field and the value. */
export function parseAddress(field: string, input: string): string {
  const v = input.trim();
  if (!isAddress(v)) throw new InvalidInputError(field, input, "not an address (0x followed by 40 hex digits)");
  return getAddress(v.toLowerCase());
}

/** Parses an organisation kind by label, Chinese name or number. */
export function parseOrgKind(input: string | number): OrgKind {
  const kind = findOrgKind(String(input));
  if (kind === undefined) {
    throw new InvalidInputError(
      "kind",
      input,
      `must be one of ${ORG_KINDS.map((k) => k.label.toLowerCase()).join(", ")}`,
    );
  }
  return kind;
}

/** Validates a registration without touching the chain. */
export function validateRegistration(input: RegistrationInput): Registration {
  const account = parseAddress("account", input.account);
  if (BigInt(account) === 0n)
    throw new InvalidInputError("account", input.account, "the zero address cannot be an organisation");
  const kind = parseOrgKind(input.kind);
  const name = input.name.trim();
  const nameBytes = Buffer.byteLength(name, "utf8");
  if (nameBytes === 0 || nameBytes > 128)
    throw new InvalidInputError("name", input.name, "must be 1 to 128 bytes of UTF-8");
  const creditCode = parseCreditCode(input.creditCode);
  const metadataHash = input.metadataHash === undefined ? ZeroHash : parseBytes32("metadata hash", input.metadataHash);
  return { account, kind, name, creditCode, metadataHash };
}

function toOrganisation(account: string, raw: IOrgRegistry.OrganisationStructOutput): Organisation | undefined {
  const status = STATUS[Number(raw.status)];
  const kind = ORG_KINDS.find((k) => k.kind === Number(raw.kind));
  if (status === undefined || kind === undefined) return undefined;
  return {
    account,
    kind,
    status,
    name: raw.name,
    creditCode: creditCodeFromBytes18(raw.creditCode),
    metadataHash: raw.metadataHash,
    registeredAt: new Date(Number(raw.registeredAt) * 1000),
  };
}

/** The organisation registered for `account`, or undefined. */
export async function getOrganisation(d: Deployment, account: string): Promise<Organisation | undefined> {
  const address = parseAddress("account", account);
  return toOrganisation(address, await d.registry.organisation(address));
}

/** Every organisation, in registration order, optionally of one kind. */
export async function listOrganisations(d: Deployment, filter: { kind?: OrgKind } = {}): Promise<Organisation[]> {
  const count = await d.registry.organisationCount();
  const accounts = await Promise.all(Array.from({ length: Number(count) }, (_, i) => d.registry.organisationAt(i)));
  const orgs = await Promise.all(accounts.map(async (a) => toOrganisation(a, await d.registry.organisation(a))));
  return orgs.filter(
    (o): o is Organisation => o !== undefined && (filter.kind === undefined || o.kind.kind === filter.kind.kind),
  );
}

/** Finds an organisation by account, credit code or exact name. */
export async function findOrganisation(d: Deployment, query: string): Promise<Organisation | undefined> {
  const q = query.trim();
  const byAddress: boolean = isAddress(q);
  if (byAddress) return getOrganisation(d, q);
  if (/^[0-9A-Za-z]{18}$/.test(q)) {
    const holder = await d.registry.accountOfCreditCode(creditCodeToBytes18(q.toUpperCase()));
    if (BigInt(holder) !== 0n) return getOrganisation(d, holder);
  }
  return (await listOrganisations(d)).find((o) => o.name === q);
}

/** A function naming accounts by their registered organisation (the account itself when unregistered). */
export async function organisationNamer(d: Deployment): Promise<(account: string) => string> {
  const names = new Map((await listOrganisations(d)).map((o) => [o.account.toLowerCase(), o.name]));
  return (account: string) => names.get(account.toLowerCase()) ?? account;
}

/** Labels of the roles `account` holds in the manager (without execution delay). */
export async function rolesHeldBy(manager: AccessManager, account: string): Promise<string[]> {
  const held = await Promise.all(
    ROLES.map(async (r): Promise<string | undefined> =>
      (await manager.hasRole(r.id, account))[0] ? r.label : undefined,
    ),
  );
  return held.filter((l): l is string => l !== undefined);
}

/** Throws a LedgerError unless `account` holds the role that admits `kind`. */
async function requireAdmitter(d: Deployment, account: string, kind: OrgKind, action: string): Promise<void> {
  const [isMember, delay] = await d.manager.hasRole(ROLE[kind.admittedBy], account);
  if (isMember && delay === 0n) return;
  const held = await rolesHeldBy(d.manager, account);
  // Departments are admitted, suspended and reinstated by the council (ADMIN), through its timelock.
  const council =
    kind.admittedBy === "ADMIN"
      ? `: ADMIN is the council's, so schedule it with npx hardhat governance schedule registry ${action === "registering" ? "register" : action === "suspending" ? "suspend" : action === "reinstating" ? "reinstate" : "<function>"} … --from <a department's key>`
      : "";
  throw new LedgerError(
    `${action} a ${kind.label} organisation needs role ${kind.admittedBy}; ${account} holds ${held.length === 0 ? "no role" : held.join(", ")}${council}`,
  );
}

/** What a write produced: the organisation as read back after it, and where it was mined. */
export interface OrgWrite {
  readonly organisation: Organisation;
  readonly txHash: string;
  readonly blockNumber: number;
}

/** Registers an organisation, granting its role; refuses before sending when it would revert. */
export async function registerOrganisation(
  d: Deployment,
  signer: Signer,
  input: RegistrationInput,
  overrides: LegacyOverrides,
): Promise<OrgWrite> {
  const reg = validateRegistration(input);
  const from = await signer.getAddress();
  await requireAdmitter(d, from, reg.kind, "registering");
  const existing = await getOrganisation(d, reg.account);
  if (existing !== undefined) {
    throw new LedgerError(`account ${reg.account} is already registered as ${existing.kind.label} "${existing.name}"`);
  }
  const holder = await d.registry.accountOfCreditCode(creditCodeToBytes18(reg.creditCode));
  if (BigInt(holder) !== 0n) throw new LedgerError(`credit code ${reg.creditCode} is already registered to ${holder}`);
  const { receipt } = await sendChecked(
    d.registry.connect(signer).register,
    [reg.account, reg.kind.kind, reg.name, reg.creditCode, reg.metadataHash],
    overrides,
  );
  const organisation = await getOrganisation(d, reg.account);
  if (organisation === undefined) throw new Error(`registration of ${reg.account} was mined but cannot be read back`);
  return { organisation, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

async function changeStatus(
  d: Deployment,
  signer: Signer,
  account: string,
  reasonHash: string,
  overrides: LegacyOverrides,
  to: OrgStatus,
): Promise<OrgWrite> {
  const org = await getOrganisation(d, account);
  if (org === undefined) throw new LedgerError(`${account} is not a registered organisation`);
  const from = to === "suspended" ? "active" : "suspended";
  if (org.status !== from) throw new LedgerError(`"${org.name}" (${org.account}) is ${org.status} already`);
  await requireAdmitter(d, await signer.getAddress(), org.kind, to === "suspended" ? "suspending" : "reinstating");
  const registry = d.registry.connect(signer);
  const write = to === "suspended" ? registry.suspend : registry.reinstate;
  const { receipt } = await sendChecked(write, [org.account, reasonHash], overrides);
  return { organisation: { ...org, status: to }, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

/** Suspends an active organisation, revoking its role. */
export function suspendOrganisation(
  d: Deployment,
  signer: Signer,
  account: string,
  reasonHash: string,
  overrides: LegacyOverrides,
) {
  return changeStatus(d, signer, parseAddress("account", account), reasonHash, overrides, "suspended");
}

/** Reinstates a suspended organisation, granting its role again. */
export function reinstateOrganisation(
  d: Deployment,
  signer: Signer,
  account: string,
  reasonHash: string,
  overrides: LegacyOverrides,
) {
  return changeStatus(d, signer, parseAddress("account", account), reasonHash, overrides, "active");
}
