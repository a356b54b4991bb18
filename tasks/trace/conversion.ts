import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseProductCode, parseQuantity, parseUnit } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session } from "../common.js";

/** `trace conversion <product> --from-unit XBX --to-unit KGM --factor 0.25`: 1 box of it is 0.25 kg. */
export default async function (
  a: { product: string; fromUnit?: string; toUnit?: string; factor?: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.product);
    const fromUnit = parseUnit(required("--from-unit", a.fromUnit));
    const toUnit = parseUnit(required("--to-unit", a.toUnit));
    const factor = required("--factor", a.factor);
    // The factor in millionths (parseQuantity gives thousandths: at most three decimals).
    const ppm = parseQuantity(factor, "--factor") * 1000n;
    if (ppm >= 1n << 64n) throw new InvalidInputError("--factor", factor, "is too large");
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.declareConversion(
      s.deployment,
      s.signer,
      { productCode, from: fromUnit.hex, to: toUnit.hex, ppm },
      s.overrides,
    );
    console.log(`declared: 1 ${fromUnit.code} of ${a.product.trim()} = ${factor.trim()} ${toUnit.code} ${mined(w)}`);
  });
}
