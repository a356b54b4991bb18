import { randomBytes } from "node:crypto";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CHANNELS, donationIdOf, parseChannel, projectIdOf, refHashOf } from "../../src/charity/ids.js";
import { recordDonation, requireProject } from "../../src/charity/ledger.js";
import {
  appendReceipts,
  donorCommitment,
  formatReceiptCode,
  loadReceipts,
  normaliseDonorName,
  parseReceiptCode,
} from "../../src/charity/receipts.js";
import { LedgerError } from "../../src/errors.js";
import { openSession, required, runTask } from "../common.js";
import { amountOption, docHash, mined, yuan } from "./common.js";

interface Args {
  project: string;
  ref?: string;
  amount?: string;
  channel: string;
  donor: string;
  receipts: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
}

/**
 * Records one cash donation. The donor's name is committed with a fresh salt (or the salt
 * already in the receipts file for this ref, so a retry sends the same record) and written
 * only to the local receipts file, which also gets the donor's receipt code.
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const projectId = projectIdOf(args.project);
    const ref = required("--ref", args.ref).trim();
    const amountFen = amountOption("--amount", args.amount);
    const channel = parseChannel(args.channel);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const project = await requireProject(s.deployment, projectId);
    const refHash = refHashOf(ref);
    const donationId = donationIdOf(project.charity, refHash);

    const receipts = await loadReceipts(args.receipts);
    const known = receipts.get(ref);
    if (known !== undefined && known.donationId !== donationId) {
      throw new LedgerError(`${args.receipts} line ${known.line} already has ref ${ref} for another project`);
    }
    const salt = known !== undefined ? parseReceiptCode(known.receiptCode).salt : randomBytes(16);
    const donor = normaliseDonorName(args.donor);
    const entry = {
      ref,
      project: args.project,
      donationId,
      receiptCode: formatReceiptCode(donationId, salt),
      commitment: donorCommitment(donor, salt),
      donor,
      date: new Date().toISOString().slice(0, 10),
      amountFen,
      channel,
      evidenceHash,
    };
    if (known === undefined) await appendReceipts(args.receipts, [entry]);

    const w = await recordDonation(
      s.deployment,
      s.signer,
      projectId,
      { refHash, amount: amountFen, donorCommitment: entry.commitment, channel, evidenceHash },
      s.overrides,
    );
    console.log(
      `recorded ${yuan(amountFen)} (${CHANNELS[channel]}) to ${args.project}: donation ${w.value} ${mined(w)}`,
    );
    console.log(`receipt code for the donor: ${entry.receiptCode} (kept in ${args.receipts})`);
  });
}
