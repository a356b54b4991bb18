/**
 * The one place where Zhixin Ledger's roles are defined.
 *
 * Every organisation kind is also an AccessManager role with the same number;
 * `contracts/access/Roles.sol` is generated from this file (`npm run gen:roles`)
 * and `npm run lint` fails when the two drift apart. The deploy module labels
 * each role on chain (`labelRole`) from this table.
 */

/** A role as the AccessManager knows it, with the kind of organisation that holds it. */
export interface RoleDefinition {
  /** AccessManager role id. */
  readonly id: bigint;
  /** Label written on chain with `labelRole` and used in code and the CLI. */
  readonly label: string;
  /** Chinese name shown in the explorer. */
  readonly zh: string;
  /** Label of the role whose holders may register organisations of this kind; undefined: not an organisation kind. */
  readonly admittedBy?: string;
  /** One line on what the role may do. */
  readonly description: string;
}

/** AccessManager's built-in ADMIN_ROLE (0): consortium governance. */
export const ADMIN_ROLE = 0n;
/** AccessManager's built-in PUBLIC_ROLE (2^64 - 1): everyone. */
export const PUBLIC_ROLE = 2n ** 64n - 1n;
/**
 * A role nobody holds and only its own holders could grant (it is its own admin): the admin of
 * REGISTRAR, so that not even the council can grant REGISTRAR to itself without first changing that
 * admin in a public, cancellable timelock operation. Labelled on chain as SEALED; not an organisation kind.
 */
export const SEALED_ROLE = 2n ** 64n - 2n;

export const ROLES = [
  { id: 0n, label: "ADMIN", zh: "联盟治理", description: "wire roles, admit departments" },
  {
    id: 1n,
    label: "CIVIL_AFFAIRS",
    zh: "民政局",
    admittedBy: "ADMIN",
    description: "register charities, approve fundraising projects, publish statistics",
  },
  {
    id: 2n,
    label: "CHARITY",
    zh: "慈善组织",
    admittedBy: "CIVIL_AFFAIRS",
    description: "open approved projects, record donations, disburse, ship goods",
  },
  {
    id: 3n,
    label: "RECIPIENT",
    zh: "受助单位",
    admittedBy: "CIVIL_AFFAIRS",
    description: "confirm receipt of money and goods",
  },
  {
    id: 4n,
    label: "MARKET_REGULATOR",
    zh: "市场监管局",
    admittedBy: "ADMIN",
    description: "register producers, inspectors, logistics, retailers and products; recall",
  },
  {
    id: 5n,
    label: "PRODUCER",
    zh: "生产企业",
    admittedBy: "MARKET_REGULATOR",
    description: "commission, transform and ship batches",
  },
  {
    id: 6n,
    label: "LOGISTICS",
    zh: "物流企业",
    admittedBy: "MARKET_REGULATOR",
    description: "receive, store and ship batches",
  },
  {
    id: 7n,
    label: "RETAILER",
    zh: "零售企业",
    admittedBy: "MARKET_REGULATOR",
    description: "receive and sell batches",
  },
  {
    id: 8n,
    label: "INSPECTOR",
    zh: "检测机构",
    admittedBy: "MARKET_REGULATOR",
    description: "certify batches, accept relief projects",
  },
  {
    id: 9n,
    label: "FINANCE",
    zh: "财政局",
    admittedBy: "ADMIN",
    description: "create fund programmes, appropriate budget",
  },
  {
    id: 10n,
    label: "RURAL_AFFAIRS",
    zh: "乡村振兴局",
    admittedBy: "ADMIN",
    description: "allocate funds, attest beneficiaries, approve disbursements",
  },
  {
    id: 11n,
    label: "VILLAGE",
    zh: "乡镇/村委会",
    admittedBy: "RURAL_AFFAIRS",
    description: "register beneficiaries, propose disbursements, record usage",
  },
  {
    id: 12n,
    label: "AUDITOR",
    zh: "审计局",
    admittedBy: "ADMIN",
    description: "record findings against any record",
  },
  {
    id: 13n,
    label: "REGISTRAR",
    zh: "机构登记合约",
    description: "held only by the OrgRegistry contract: grants and revokes organisation roles",
  },
] as const satisfies readonly RoleDefinition[];

export type RoleLabel = (typeof ROLES)[number]["label"];

/** Role id by label. */
export const ROLE: Readonly<Record<RoleLabel, bigint>> = Object.fromEntries(
  ROLES.map((r) => [r.label, r.id]),
) as Record<RoleLabel, bigint>;

/** An organisation kind: a role that organisations hold, with the role that admits it. */
export interface OrgKind {
  readonly kind: number;
  readonly label: RoleLabel;
  readonly zh: string;
  readonly admittedBy: RoleLabel;
}

/** The organisation kinds, in id order; kind number = role id. */
export const ORG_KINDS: readonly OrgKind[] = ROLES.flatMap((r) =>
  "admittedBy" in r ? [{ kind: Number(r.id), label: r.label, zh: r.zh, admittedBy: r.admittedBy }] : [],
);

/** Look up a role by label (case-insensitive, `-` or `_`), by Chinese name or by number. */
export function findRole(text: string): (typeof ROLES)[number] | undefined {
  const t = text.trim();
  const norm = t.toUpperCase().replace(/-/g, "_");
  return ROLES.find((r) => r.label === norm || r.zh === t || (/^\d+$/.test(t) && r.id === BigInt(t)));
}

/** Look up an organisation kind the same way as {@link findRole}. */
export function findOrgKind(text: string): OrgKind | undefined {
  const role = findRole(text);
  return role === undefined ? undefined : ORG_KINDS.find((k) => k.label === role.label);
}

/** The label of a role id, or `role #<id>` for an id that is not ours. */
export function roleLabel(id: bigint): string {
  if (id === PUBLIC_ROLE) return "PUBLIC";
  if (id === SEALED_ROLE) return "SEALED";
  return ROLES.find((r) => r.id === id)?.label ?? `role #${id}`;
}
