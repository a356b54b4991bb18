import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/trace/ledger.js";
import { encodeCode, parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, organisationOption, runTask, session } from "../common.js";
import { type ContextArgs, contextOf } from "./common.js";

export default async function (
  a: ContextArgs & { batch: string; to?: string; partLot?: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    const to = (await organisationOption(s.deployment, "--to", a.to)).account;
    const nameOf = await organisationNamer(s.deployment);
    if ((a.partLot ?? "") !== "") {
      const lotCode = encodeCode("--part-lot", a.partLot!);
      const w = await ledger.shipPart(s.deployment, s.signer, { batchId: id, lotCode, to }, ctx, s.overrides);
      console.log(
        `shipped ${a.quantity ?? ""} of ${a.batch.trim()} as lot ${a.partLot!.trim()} (${w.value}) to ${nameOf(to)}; custody passes when it accepts ${mined(w)}`,
      );
      return;
    }
    const w = await ledger.ship(s.deployment, s.signer, id, to, ctx, s.overrides);
    console.log(`shipped ${a.batch.trim()} to ${nameOf(to)}; custody passes when it accepts ${mined(w)}`);
  });
}
