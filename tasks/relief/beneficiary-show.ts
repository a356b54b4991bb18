import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { organisationNamer } from "../../src/registry.js";
import { attestationsOfMask } from "../../src/relief/attestations.js";
import * as ledger from "../../src/relief/ledger.js";
import { jsonText, openReader, runTask } from "../common.js";
import { keyOf } from "./common.js";

export default async function (
  a: { idNumber: string; key: string; from?: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const { key, shown } = await keyOf(hre, a);
    const d = await openReader(hre);
    const b = await ledger.getBeneficiary(d, key);
    if (b === undefined) throw new LedgerError(`no beneficiary ${shown} on this chain`);
    if (a.json) return console.log(jsonText(b));
    const nameOf = await organisationNamer(d);
    console.log(`beneficiary ${shown}`);
    console.log(`  village       ${nameOf(b.village)}`);
    console.log(`  registered    ${new Date(Number(b.registeredAt) * 1000).toISOString()}`);
    const held = attestationsOfMask(b.attestations);
    console.log(`  attestations  ${held.map((x) => `${x.zh} (${x.en})`).join(", ") || "none"}`);
  });
}
