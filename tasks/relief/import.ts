import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { organisationNamer } from "../../src/registry.js";
import { attestationOf, type AttestationDefinition } from "../../src/relief/attestations.js";
import { formatRowError, readBeneficiaryFile } from "../../src/relief/beneficiary-file.js";
import { importBeneficiaries, reliefChainAccess, requireImportRole } from "../../src/relief/importer.js";
import { KeyServiceClient } from "../../src/relief/key-service-client.js";
import { openSession, runTask, progressBar } from "../common.js";
import { keySourceFor } from "./common.js";

interface Args {
  file: string;
  from: string;
  /** Attestation kind (number, label or Chinese name); "" registers. */
  attest: string;
  /** Chain reads in flight at once while checking the rows (1–100, default 16). */
  batch?: number | string;
  sheet?: string;
  dryRun?: boolean;
  skipRefused?: boolean;
}

/**
 * `relief beneficiary import <file>`: a village registers every beneficiary of its list, or
 * (`--attest <kind>`) a department attests that kind for every one. Reads and checks every row
 * first (row errors name line, field, masked value and reason) and reads what the chain has for
 * every key; a refused row stops the whole import (nothing sent) unless `--skip-refused`, and
 * `--dry-run` lists every problem and what would be sent. Then one transaction per missing row. ID numbers
 * go only to the key service (ZHIXIN_KEY_SERVICE_URL), in one signed request; only their keys reach the chain. Killed
 * half-way, the same command finishes the job: what the chain has already is skipped.
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    let kind: AttestationDefinition | undefined;
    if (args.attest.trim() !== "") {
      try {
        kind = attestationOf(args.attest);
      } catch (e) {
        throw new LedgerError(`--attest: ${(e as Error).message}`);
      }
    }
    const batchText = String(args.batch ?? "16").trim();
    const batch = Number(batchText);
    if (!/^\d+$/.test(batchText) || batch < 1 || batch > 100) {
      throw new InvalidInputError("--batch", args.batch, "must be a whole number from 1 to 100");
    }

    const { rows, errors: fileErrors } = await readBeneficiaryFile(
      args.file,
      kind === undefined ? "register" : "attest",
      { sheet: args.sheet ?? "" },
    );
    const s = await openSession(hre, args.from);
    const keySource = await keySourceFor(hre, s.signer, s.deployment.chainId);
    const relief = requireRelief(s.deployment);
    const account = s.signer.address;
    await requireImportRole(s.deployment, account, kind?.kind);
    const nameOf = await organisationNamer(s.deployment);

    const bar = progressBar(kind === undefined ? "registering" : "attesting", "beneficiaries");
    const keyBar = progressBar(`keys from ${keySource.name}`, "keys");
    const result = await importBeneficiaries({
      rows,
      keySource,
      // Progress of the key service's answer (the dev secret computes the keys here at once).
      onKeysProgress: (done, total) => {
        if (!(keySource instanceof KeyServiceClient)) return;
        keyBar.onProgress(done, total);
        if (done === total) keyBar.stop();
      },
      account,
      ...(kind !== undefined ? { attest: kind.kind } : {}),
      readConcurrency: batch,
      fileErrors,
      dryRun: args.dryRun === true,
      skipRefused: args.skipRefused === true,
      nameOf,
      ...reliefChainAccess(s.deployment, s.signer, s.overrides),
      onProgress: bar.onProgress,
    }).finally(() => {
      keyBar.stop();
      bar.stop();
    });

    for (const e of result.errors) console.error(formatRowError(e));
    const refused = result.refused;
    const rowsWord = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
    if (result.stopped) {
      console.log(
        `${args.dryRun === true ? "dry run: nothing sent" : "nothing sent"}; ${result.toSend} beneficiar${result.toSend === 1 ? "y" : "ies"} ` +
          `would be ${kind === undefined ? "registered" : `attested as ${kind.en} (${kind.zh})`}, ${result.skipped} done already, ${rowsWord(refused)} refused`,
      );
      if (refused > 0) {
        throw new LedgerError(
          `${rowsWord(refused)} refused (listed above): nothing was sent. Fix the file and run again` +
            (args.skipRefused === true ? "" : ", or send the other rows with --skip-refused"),
        );
      }
      return;
    }
    console.log(
      kind === undefined
        ? `${result.registered} beneficiaries registered, ${result.skipped} already registered by ${account}, ${rowsWord(refused)} refused`
        : `${result.attested} beneficiaries attested as ${kind.en} (${kind.zh}), ${result.skipped} already attested, ${rowsWord(refused)} refused`,
    );
    if (refused > 0) console.error(`${rowsWord(refused)} refused (listed above) and not sent (--skip-refused)`);
  });
}
