import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, organisationOption, runTask, session } from "../common.js";
import { keyOf } from "./common.js";

export default async function (
  a: {
    idNumber: string;
    key: string;
    to: string;
    deregister: boolean;
    reasonFile: string;
    reasonHash: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    if ((a.to === "") === !a.deregister) throw new LedgerError("give --to <village> or --deregister");
    const { key, shown } = await keyOf(hre, a);
    const reason = await requiredDocumentHash(
      "reason",
      { file: a.reasonFile, hash: a.reasonHash },
      "decision moving the beneficiary",
      "reason",
    );
    const s = await session(hre, a.from, requireRelief);
    const to = a.deregister ? undefined : await organisationOption(s.deployment, "--to", a.to);
    const w = await ledger.moveBeneficiary(
      s.deployment,
      s.signer,
      key,
      to?.account ?? ZeroAddress,
      reason,
      s.overrides,
    );
    console.log(`beneficiary ${shown} ${to === undefined ? "deregistered" : `moved to ${to.name}`} ${mined(w)}`);
  });
}
