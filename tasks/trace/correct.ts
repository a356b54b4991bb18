import { id, isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseErrorReason } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";

/** An id as the chain records it: a 32-byte hex id as is, an EPCIS eventID by its keccak256. */
const chainId = (v: string) => (isHexString(v.trim(), 32) ? v.trim() : id(v.trim()));

/** `trace correct <eventId> --reason incorrect_data --corrective <id>,…`: an EPCIS errorDeclaration. */
export default async function (
  a: { eventId: string; reason: string; corrective: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const reason = parseErrorReason(a.reason);
    const correctiveIds = a.corrective
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "")
      .map(chainId);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.correctEvent(
      s.deployment,
      s.signer,
      { eventId: chainId(a.eventId), reason, correctiveIds },
      s.overrides,
    );
    console.log(
      `event ${a.eventId.trim()} declared in error (${correctiveIds.length} corrective event(s)) ${mined(w)}`,
    );
  });
}
