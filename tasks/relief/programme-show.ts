import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { organisationNamer } from "../../src/registry.js";
import { attestationsOfMask } from "../../src/relief/attestations.js";
import { CATEGORY_ZH } from "../../src/relief/vocabulary.js";
import { roleLabel } from "../../src/roles.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";
import { programmeOf } from "./common.js";

export default async function (a: { code: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await programmeOf(d, a.code);
    if (a.json) return console.log(jsonText(p));
    const nameOf = await organisationNamer(d);
    const requires = attestationsOfMask(p.requiredAttestations).map((x) => x.zh);
    console.log(`programme ${a.code.trim()} (${p.programmeId})`);
    console.log(`  finance       ${nameOf(p.finance)}`);
    console.log(`  category      ${p.category} (${CATEGORY_ZH[p.category]}), fiscal year ${p.fiscalYear}`);
    console.log(`  periods       ${p.periods}, cap per payment ${yuan(p.perBeneficiaryCap)}`);
    console.log(
      `  requires      ${requires.join(", ") || "nothing"}; approved by ${roleLabel(BigInt(p.approverRole))}`,
    );
    console.log(`  appropriated  ${yuan(p.appropriated)}`);
    console.log(`  allocated     ${yuan(p.allocated)} (every hop)`);
    console.log(`  disbursed     ${yuan(p.disbursed)}`);
    console.log(`  returned      ${yuan(p.returned)}`);
  });
}
