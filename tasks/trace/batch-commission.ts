import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import * as ledger from "../../src/trace/ledger.js";
import { encodeCode, formatQuantity, parseProductCode, parseQuantity, parseUnit } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session, positiveInt } from "../common.js";
import { type ContextArgs, contextOf } from "./common.js";

export default async function (
  a: ContextArgs & { product: string; lot: string; quantity?: string; unit: string; giCertificate: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.product);
    const lotCode = encodeCode("lot", a.lot);
    const quantity = parseQuantity(required("--quantity", a.quantity), "--quantity");
    const unit = parseUnit(a.unit);
    const gi = a.giCertificate.trim() === "0" ? 0n : BigInt(positiveInt("--gi-certificate", a.giCertificate));
    if (a.location.trim() === "") throw new LedgerError("give the origin with --location (a GLN-13)");
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.commissionBatch(
      s.deployment,
      s.signer,
      { productCode, lotCode, quantity, uom: unit.hex, giCertificate: gi },
      ctx,
      s.overrides,
    );
    console.log(
      `commissioned ${a.product.trim()}/${a.lot.trim()}: ${formatQuantity(quantity)} ${unit.code}, batch ${w.value} ${mined(w)}`,
    );
  });
}
