import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readDonationFile } from "../../src/charity/donation-file.js";
import { formatRowError } from "../../src/table-file.js";
import { formatYuan } from "../../src/money.js";
import { charityChainAccess, importDonations } from "../../src/charity/importer.js";
import { charityRefKey } from "../../src/charity/ledger.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { openSession, runTask, progressBar } from "../common.js";

interface Args {
  file: string;
  batchSize: number;
  receipts: string;
  from: string;
  project: string;
  channel: string;
  sheet: string;
  dryRun: boolean;
  skipRefused: boolean;
}

/**
 * `charity import <file>`: reads and checks every row first (row errors name line, field,
 * value and reason), and checks every row the receipts file lacks against the chain. A refused
 * row stops the whole import (nothing written, nothing sent) unless `--skip-refused`; `--dry-run`
 * lists every problem and the totals and sends nothing. Keeps donor names in the local receipts
 * file only, and sends the rest in batches. Killed half-way, the same command finishes the job:
 * the receipts file gives every row the same commitment again and the chain skips what it has.
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (!Number.isInteger(args.batchSize) || args.batchSize < 1 || args.batchSize > 500) {
      throw new InvalidInputError("--batch-size", args.batchSize, "must be a whole number from 1 to 500");
    }
    const {
      rows,
      errors: fileErrors,
      columns,
    } = await readDonationFile(args.file, {
      project: args.project,
      channel: args.channel,
      sheet: args.sheet,
    });
    const s = await openSession(hre, args.from);
    const charity = s.signer.address;

    const bar = progressBar("importing", "donations");
    const refKey = await charityRefKey(s.deployment, s.signer, charity);
    const result = await importDonations({
      rows,
      fileErrors,
      dryRun: args.dryRun,
      skipRefused: args.skipRefused,
      refKey,
      ...charityChainAccess(s.deployment, s.signer, charity, s.overrides),
      receiptsPath: args.receipts,
      batchSize: args.batchSize,
      onProgress: bar.onProgress,
    }).finally(bar.stop);

    for (const c of columns) console.log(c);
    for (const e of result.errors) console.error(formatRowError(e));
    const rowsWord = (n: number) => `${n} row${n === 1 ? "" : "s"}`;
    const totals = [...result.byProject]
      .map(
        ([code, p]) =>
          `${code}: ${p.count} donation${p.count === 1 ? "" : "s"}, ${formatYuan(p.fen, { symbol: true })}`,
      )
      .join("; ");
    if (!result.sent) {
      console.log(
        `${args.dryRun ? "dry run: nothing sent" : "nothing sent"}; ${result.total} donation${result.total === 1 ? "" : "s"} ` +
          `would be recorded, ${formatYuan(result.totalFen, { symbol: true })}${totals !== "" ? ` (${totals})` : ""}; ` +
          `${rowsWord(result.refusedRows)} refused`,
      );
      if (result.refusedRows > 0) {
        throw new LedgerError(
          `${rowsWord(result.refusedRows)} refused (listed above): nothing was written or sent. Fix the file and run again` +
            (args.skipRefused ? "" : ", or send the other rows with --skip-refused"),
        );
      }
      return;
    }
    console.log(
      `${result.recorded} donations recorded, ${result.alreadyOnChain} already on chain, ${rowsWord(result.refusedRows)} refused, ` +
        `in ${result.batches} transactions; ${formatYuan(result.totalFen, { symbol: true })}${totals !== "" ? ` (${totals})` : ""}; receipts in ${result.receiptsPath}`,
    );
    if (result.refusedRows > 0 && result.total === 0) {
      throw new LedgerError(`every row was refused (listed above): nothing was written or sent`);
    }
    if (result.refusedRows > 0) {
      console.error(`${rowsWord(result.refusedRows)} refused (listed above) and not sent (--skip-refused)`);
    }
  });
}
