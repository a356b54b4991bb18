import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { charityRefKey } from "../../src/charity/ledger.js";
import { openSession, runTask } from "../common.js";

interface Args {
  from: string;
}

/**
 * Prints the reference key of the charity signing (`--from`): references of its donations are
 * hashed with it, so a bank serial number on chain cannot be found by trying them all. Civil affairs
 * recording a donation for the charity needs it (`charity donate --ref-key`); keep it as a secret.
 */
export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const s = await openSession(hre, args.from);
    console.log(await charityRefKey(s.deployment, s.signer, s.signer.address));
  });
}
