/**
 * The sample Jiangmen organisations (deploy/organisations/jiangmen.json), registered by
 * `npm run deploy:local` and the demo, each by the department that admits its kind.
 * Re-running skips what is registered already.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import type { Signer } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import type { Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import {
  type Organisation,
  type RegistrationInput,
  getOrganisation,
  listOrganisations,
  registerOrganisation,
  validateRegistration,
} from "../registry.js";

export const SAMPLE_ORGANISATIONS = fileURLToPath(new URL("../../deploy/organisations/jiangmen.json", import.meta.url));

/** Reads and validates an organisations file. */
export async function readOrganisationsFile(path: string = SAMPLE_ORGANISATIONS): Promise<RegistrationInput[]> {
  const parsed = JSON.parse(await readFile(path, "utf8")) as { organisations?: RegistrationInput[] };
  if (!Array.isArray(parsed.organisations)) throw new LedgerError(`${path}: expected {"organisations": [...]}`);
  parsed.organisations.forEach((o, i) => {
    try {
      validateRegistration(o);
    } catch (e) {
      throw new LedgerError(`${path}: organisation #${i + 1}: ${(e as Error).message}`);
    }
  });
  return parsed.organisations;
}

/**
 * Registers every organisation of `inputs` not registered yet, each sent by the active
 * organisation that admits its kind; `signerFor` returns that organisation's signer.
 */
export async function registerOrganisations(
  d: Deployment,
  inputs: readonly RegistrationInput[],
  signerFor: (account: string) => Promise<Signer>,
  overrides: LegacyOverrides,
  log: (line: string) => void = () => {},
): Promise<{ registered: number; skipped: number }> {
  let registered = 0;
  let skipped = 0;
  // Organisations registered during the loop may admit later ones: the list grows with them.
  const known = await listOrganisations(d);
  for (const input of inputs) {
    const reg = validateRegistration(input);
    if ((await getOrganisation(d, reg.account)) !== undefined) {
      skipped++;
      log(`  = ${reg.name} already registered`);
      continue;
    }
    const admitter: Organisation | undefined = known.find(
      (o) => o.kind.label === reg.kind.admittedBy && o.status === "active",
    );
    if (admitter === undefined)
      throw new LedgerError(`no active ${reg.kind.admittedBy} organisation to register ${reg.name}`);
    const write = await registerOrganisation(d, await signerFor(admitter.account), { ...input }, overrides);
    known.push(write.organisation);
    registered++;
    log(`  + ${write.organisation.name} (${reg.kind.label}) registered by ${admitter.name}`);
  }
  return { registered, skipped };
}
