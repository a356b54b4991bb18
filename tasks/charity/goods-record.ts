import { ZeroHash, encodeBytes32String, hexlify, toUtf8Bytes, zeroPadBytes } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { donationIdOf, refHashOf } from "../../src/charity/ids.js";
import { charityRefKey, recordGoods, requireProject, resolveProject } from "../../src/charity/ledger.js";
import { InvalidInputError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { parseYuan } from "../../src/money.js";
import { donorReceipt } from "../../src/charity/receipts.js";
import { openSession, required, runTask, mined, yuan } from "../common.js";
import { docHash, quantityOption } from "./common.js";

interface Args {
  project: string;
  ref?: string;
  item?: string;
  quantity?: string;
  unit?: string;
  valuation?: string;
  batch: string;
  donor: string;
  receipts: string;
  evidenceFile: string;
  evidenceHash: string;
  refKey: string;
  from: string;
}

/** UTF-8 text in a fixed-size field, refused when it does not fit. */
function fixedText(field: string, text: string, size: 16 | 32): string {
  const bytes = toUtf8Bytes(text.trim());
  if (bytes.length === 0 || bytes.length > size)
    throw new InvalidInputError(field, text, `must be 1 to ${size} bytes of UTF-8`);
  return size === 32 ? encodeBytes32String(text.trim()) : zeroPadBytes(hexlify(bytes), 16);
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ref = required("--ref", args.ref).trim();
    const itemCode = fixedText("--item", required("--item", args.item), 32);
    const quantity = quantityOption("--quantity", args.quantity);
    const unitHex = fixedText("--unit", required("--unit", args.unit), 16);
    const valuation = parseYuan(required("--valuation", args.valuation), "--valuation");
    const productBatchId = args.batch === "" ? ZeroHash : parseBytes32("--batch", args.batch);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const projectId = await resolveProject(s.deployment, args.project, s.signer.address);
    const project = await requireProject(s.deployment, projectId);
    const refHash = refHashOf(await charityRefKey(s.deployment, s.signer, project.charity, args.refKey), ref);
    const lotId = donationIdOf(project.charity, refHash);
    const receipt = await donorReceipt(args.receipts, {
      ref,
      project: args.project,
      donationId: lotId,
      donor: args.donor,
      amountFen: valuation,
      channel: 4,
      evidenceHash,
    });
    const w = await recordGoods(
      s.deployment,
      s.signer,
      projectId,
      {
        refHash,
        itemCode,
        quantity,
        unit: unitHex,
        valuation,
        productBatchId,
        donorCommitment: receipt.commitment,
        evidenceHash,
      },
      s.overrides,
    );
    console.log(
      `recorded goods ${args.item} × ${quantity} ${args.unit} (valued ${yuan(valuation)}) to ${args.project}: lot ${w.value} ${mined(w)}`,
    );
    console.log(`receipt code for the donor: ${receipt.receiptCode} (kept in ${args.receipts})`);
  });
}
