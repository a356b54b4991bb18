import { SingleBar } from "cli-progress";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readDonationFile, formatRowError } from "../../src/charity/donation-file.js";
import { projectIdOf } from "../../src/charity/ids.js";
import { importDonations } from "../../src/charity/importer.js";
import { charityRefKey, getProject, recordDonations } from "../../src/charity/ledger.js";
import { InvalidInputError } from "../../src/credit-code.js";
import { LedgerError } from "../../src/errors.js";
import { openSession, runTask } from "../common.js";

interface Args {
  file: string;
  batchSize: number;
  receipts: string;
  from: string;
}

/**
 * `charity import <file>`: reads and checks every row first (row errors name line, field,
 * value and reason; nothing is sent for those rows), keeps donor names in the local receipts
 * file only, and sends the rest in batches. Killed half-way, the same command finishes the job:
 * the receipts file gives every row the same commitment again and the chain skips what it has.
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (!Number.isInteger(args.batchSize) || args.batchSize < 1 || args.batchSize > 500) {
      throw new InvalidInputError("--batch-size", args.batchSize, "must be a whole number from 1 to 500");
    }
    const { rows, errors: fileErrors } = await readDonationFile(args.file);
    const s = await openSession(hre, args.from);
    const charity = s.signer.address;

    const resolveProject = async (code: string) => {
      // Only the importing charity's own projects: a code means its project under that code.
      const projectId = projectIdOf(charity, code);
      const p = await getProject(s.deployment, projectId);
      if (p === undefined) throw new LedgerError(`no project ${code} on this chain`);
      if (p.status !== "approved") throw new LedgerError(`project ${code} is ${p.status}, not approved`);
      if (p.charity !== charity) {
        throw new LedgerError(`project ${code} belongs to ${p.charity}; import with --from that charity's account`);
      }
      return projectId;
    };

    const bar = new SingleBar({
      format: "importing [{bar}] {value}/{total} donations | {duration}s",
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    });
    let started = false;
    const refKey = await charityRefKey(s.deployment, s.signer, charity);
    const result = await importDonations({
      rows,
      charity,
      refKey,
      resolveProject,
      receiptsPath: args.receipts,
      batchSize: args.batchSize,
      submit: async (projectId, batch) => {
        const w = await recordDonations(s.deployment, s.signer, projectId, batch, s.overrides);
        return { recorded: w.value, txHash: w.txHash };
      },
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    }).finally(() => started && bar.stop());

    const refused = [...fileErrors, ...result.errors].sort((a, b) => a.line - b.line);
    for (const e of refused) console.error(formatRowError(e));
    console.log(
      `${result.recorded} donations recorded, ${result.alreadyOnChain} already on chain, ${refused.length} rows refused, in ${result.batches} transactions; receipts in ${result.receiptsPath}`,
    );
    if (refused.length > 0) {
      throw new LedgerError(
        `${refused.length} row${refused.length === 1 ? "" : "s"} refused (listed above); nothing was sent for them`,
      );
    }
  });
}
