import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import * as ledger from "../../src/trace/ledger.js";
import { decodeCode, encodeCode, formatQuantity, parseBatchRef, parseQuantity } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session, positiveInt } from "../common.js";
import { type ContextArgs, contextOf } from "./common.js";

export default async function (
  a: ContextArgs & { batch: string; parts: string; count: string; lotPrefix: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    let parts: { lotCode: string; quantity: bigint }[];
    if (a.parts.trim() !== "") {
      if (a.count !== "") throw new LedgerError("give --parts or --count with --lot-prefix, not both");
      parts = a.parts.split(",").map((p, i) => {
        const [lot, q] = p.split("=");
        if (lot === undefined || q === undefined) {
          throw new InvalidInputError(`--parts[${i}]`, p, "must be LOT=QUANTITY");
        }
        return { lotCode: encodeCode("lot", lot), quantity: parseQuantity(q, `--parts[${i}] quantity`) };
      });
    } else {
      const n = positiveInt("--count", a.count);
      const prefix = required("--lot-prefix", a.lotPrefix).trim();
      const b = await ledger.requireBatch(s.deployment, id);
      if (b.quantity % BigInt(n) !== 0n) {
        throw new LedgerError(
          `${formatQuantity(b.quantity)} ${b.uom} does not divide into ${n} equal parts: give --parts with the quantities`,
        );
      }
      const width = Math.max(3, String(n).length);
      parts = Array.from({ length: n }, (_, i) => ({
        lotCode: encodeCode("lot", `${prefix}${String(i + 1).padStart(width, "0")}`),
        quantity: b.quantity / BigInt(n),
      }));
    }
    const w = await ledger.split(s.deployment, s.signer, id, parts, ctx, s.overrides);
    console.log(`split ${a.batch.trim()} into ${w.value.length} batches ${mined(w)}`);
    parts.forEach((p, i) =>
      console.log(`  ${decodeCode(p.lotCode).padEnd(24)} ${formatQuantity(p.quantity).padStart(12)}  ${w.value[i]}`),
    );
  });
}
