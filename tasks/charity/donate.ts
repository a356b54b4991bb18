import { id } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { dayNumberOf, todayInBeijing } from "../../src/charity/business-date.js";
import { donationIdOf, refHashOf } from "../../src/charity/ids.js";
import { CHANNELS, parseChannel } from "../../src/charity/vocabulary.js";
import { charityRefKey, recordDonation, requireProject, resolveProject } from "../../src/charity/ledger.js";
import { requireCharity } from "../../src/deployment.js";
import { explain } from "../../src/refusals.js";
import { donorReceipt } from "../../src/charity/receipts.js";
import { openSession, required, runTask, amountOption, mined, yuan } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  project: string;
  ref?: string;
  amount?: string;
  channel: string;
  donor: string;
  receipts: string;
  evidenceFile: string;
  evidenceHash: string;
  refKey: string;
  from: string;
}

/**
 * Records one cash donation. The donor's name becomes a salted commitment; the name and the
 * donor's receipt code are kept in the local receipts file only (see `donorReceipt`).
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ref = required("--ref", args.ref).trim();
    const amountFen = amountOption("--amount", args.amount);
    const channel = parseChannel(args.channel);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    // Recorded as it is received: the receipt date is today's (Beijing).
    const receivedOn = dayNumberOf(todayInBeijing());
    const s = await openSession(hre, args.from);
    const projectId = await resolveProject(s.deployment, args.project, s.signer.address);
    const project = await requireProject(s.deployment, projectId);
    // A refusal (wrong account, closed project, a ref already recorded) comes before the donor's
    // receipt is written: the commitment does not change what the chain accepts.
    const simulate = (refHash: string) =>
      requireCharity(s.deployment)
        .connect(s.signer)
        .recordDonation.staticCall(
          projectId,
          { refHash, amount: amountFen, donorCommitment: id("simulation"), channel, evidenceHash, receivedOn },
          s.overrides,
        )
        .catch((e: unknown) => {
          throw explain(e);
        });
    const refKey = await charityRefKey(s.deployment, s.signer, project.charity, args.refKey).catch(
      async (e: unknown) => {
        // Without the charity's key: an account the chain refuses anyway hears that first.
        await simulate(id(`simulation ${ref}`));
        throw e;
      },
    );
    const refHash = refHashOf(refKey, ref);
    const donationId = donationIdOf(project.charity, refHash);
    await simulate(refHash);

    const receipt = await donorReceipt(args.receipts, {
      ref,
      project: args.project,
      donationId,
      donor: args.donor,
      amountFen,
      channel,
      evidenceHash,
    });

    const w = await recordDonation(
      s.deployment,
      s.signer,
      projectId,
      { refHash, amount: amountFen, donorCommitment: receipt.commitment, channel, evidenceHash, receivedOn },
      s.overrides,
    );
    console.log(
      `recorded ${yuan(amountFen)} (${CHANNELS[channel]}) to ${args.project}: donation ${w.value} ${mined(w)}`,
    );
    console.log(`receipt code for the donor: ${receipt.receiptCode} (kept in ${args.receipts})`);
  });
}
