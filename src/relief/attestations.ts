/**
 * Eligibility facts a beneficiary can hold, and the department that attests each: deployment data,
 * written on chain by the Relief module (`defineAttestation`) and used by the CLI and the explorer.
 * The definition hash binds the kind to its published wording.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import type { RoleLabel } from "../roles.js";

export interface AttestationDefinition {
  /** Bit number on chain (0–15). */
  readonly kind: number;
  readonly label: string;
  readonly zh: string;
  readonly en: string;
  /** The organisation kind that attests it. */
  readonly attester: RoleLabel;
}

export const ATTESTATIONS = [
  {
    kind: 0,
    label: "MINIMUM_LIVING_ALLOWANCE",
    zh: "最低生活保障对象",
    en: "minimum living allowance",
    attester: "CIVIL_AFFAIRS",
  },
  { kind: 1, label: "EXTREME_HARDSHIP", zh: "特困供养人员", en: "extreme-hardship support", attester: "CIVIL_AFFAIRS" },
  {
    kind: 2,
    label: "LIFTED_FROM_POVERTY",
    zh: "脱贫户",
    en: "household lifted out of poverty",
    attester: "RURAL_AFFAIRS",
  },
  {
    kind: 3,
    label: "MONITORED_HOUSEHOLD",
    zh: "防返贫监测对象",
    en: "household monitored against relapse",
    attester: "RURAL_AFFAIRS",
  },
  { kind: 4, label: "LOW_INCOME_HOUSEHOLD", zh: "低收入家庭", en: "low-income household", attester: "CIVIL_AFFAIRS" },
] as const satisfies readonly AttestationDefinition[];

export type AttestationLabel = (typeof ATTESTATIONS)[number]["label"];

/** keccak256 of the definition's canonical wording. */
export function attestationDefinitionHash(a: AttestationDefinition): string {
  return keccak256(toUtf8Bytes(`zhixin-relief-attestation:v1:${a.kind}:${a.label}:${a.zh}:${a.attester}`));
}

/** The definition of a kind given by number, label (any case, `-` or `_`) or Chinese name. */
export function attestationOf(value: string | number): AttestationDefinition {
  const text = String(value).trim();
  const norm = text.toUpperCase().replaceAll("-", "_");
  const found = ATTESTATIONS.find((a) => String(a.kind) === text || a.label === norm || a.zh === text);
  if (found === undefined) {
    throw new Error(
      `unknown attestation "${text}": use one of ${ATTESTATIONS.map((a) => `${a.label.toLowerCase().replaceAll("_", "-")} (${a.zh})`).join(", ")}`,
    );
  }
  return found;
}

/** The bit mask of a list of attestations. */
export function attestationMask(list: readonly (string | number)[]): number {
  return list.reduce<number>((mask, a) => mask | (1 << attestationOf(a).kind), 0);
}

/** The attestations named by a bit mask. */
export function attestationsOfMask(mask: number): AttestationDefinition[] {
  return ATTESTATIONS.filter((a) => (mask & (1 << a.kind)) !== 0);
}
