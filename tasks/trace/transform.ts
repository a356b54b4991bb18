import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import * as ledger from "../../src/trace/ledger.js";
import { encodeCode, formatQuantity, parseProductCode, parseUnit, unitHex } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session, positiveInt } from "../common.js";
import { type ContextArgs, contextOf, batchList } from "./common.js";

export default async function (
  a: ContextArgs & {
    inputs?: string;
    product?: string;
    lot?: string;
    unit: string;
    ratio: string;
    giCertificate: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const inputs = batchList(a.inputs, "--inputs");
    const outputProduct = parseProductCode(required("--product", a.product));
    const outputLot = encodeCode("lot", required("--lot", a.lot));
    const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(a.ratio.trim());
    if (m === null) throw new InvalidInputError("--ratio", a.ratio, "must be a decimal with at most six decimals");
    const ratioPpm = Number(m[1]) * 1_000_000 + Number((m[2] ?? "").padEnd(6, "0"));
    if (ratioPpm === 0 || ratioPpm > 0xffffffff)
      throw new InvalidInputError("--ratio", a.ratio, "must be more than 0 and at most 4294");
    const gi = a.giCertificate.trim() === "0" ? 0n : BigInt(positiveInt("--gi-certificate", a.giCertificate));
    const ctx = await contextOf(a, true);
    const s = await session(hre, a.from, requireTrace);
    const first = await ledger.requireBatch(s.deployment, inputs[0]!);
    const outputUom = a.unit.trim() === "" ? unitHex(first.uom) : parseUnit(a.unit).hex;
    const w = await ledger.transform(
      s.deployment,
      s.signer,
      inputs,
      { outputProduct, outputLot, outputUom, ratioPpm, giCertificate: gi },
      ctx,
      s.overrides,
    );
    const out = await ledger.requireBatch(s.deployment, w.value);
    console.log(
      `transformed ${inputs.length} batch(es) into ${out.productCode}/${a.lot!.trim()}: ${formatQuantity(out.quantity)} ${out.uom}, batch ${w.value} ${mined(w)}`,
    );
  });
}
