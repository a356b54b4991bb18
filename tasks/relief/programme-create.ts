import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { attestationMask } from "../../src/relief/attestations.js";
import * as ledger from "../../src/relief/ledger.js";
import { nameProgramme, parseName } from "../../src/names/ledger.js";
import { CATEGORIES, parseCategory } from "../../src/relief/vocabulary.js";
import { parseCodeRef } from "../../src/code-ref.js";
import { ROLE } from "../../src/roles.js";
import { mined, required, runTask, session, positiveInt, amountOption, yuan } from "../common.js";
import { type DocArgs } from "./common.js";

export default async function (
  a: {
    code: string;
    category?: string;
    year?: string;
    budget?: string;
    periods: string;
    cap?: string;
    requires: string;
    approver: string;
    name: string;
    from: string;
  } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const code = parseCodeRef("--code", a.code);
    if (!("code" in code)) throw new InvalidInputError("--code", a.code, "a new programme needs a code, not a 0x id");
    const name = a.name.trim() === "" ? undefined : parseName(a.name, "--name");
    const approver = a.approver.trim().toUpperCase();
    if (!(approver in ROLE) || approver === "ADMIN" || approver === "REGISTRAR") {
      throw new InvalidInputError("--approver", a.approver, "must be an organisation kind, e.g. RURAL_AFFAIRS");
    }
    const terms: ledger.ProgrammeTerms = {
      category: parseCategory(required("--category", a.category)),
      fiscalYear: positiveInt("--year", a.year, 2999),
      periods: positiveInt("--periods", a.periods, 65_535),
      approverRole: Number(ROLE[approver as keyof typeof ROLE]),
      requiredAttestations: attestationMask(
        a.requires
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== ""),
      ),
      budget: amountOption("--budget", a.budget),
      perBeneficiaryCap: amountOption("--cap", a.cap),
    };
    const doc = await requiredDocumentHash(
      "appropriation document",
      { file: a.documentFile, hash: a.documentHash },
      "appropriation document",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.createProgramme(s.deployment, s.signer, code.code, terms, doc, s.overrides);
    console.log(
      `programme ${a.code.trim()} created: ${CATEGORIES[terms.category]}, ${terms.fiscalYear}, budget ${yuan(terms.budget)}, ${terms.periods} period(s), cap ${yuan(terms.perBeneficiaryCap)} ${mined(w)}`,
    );
    console.log(`  id ${w.value}`);
    if (name !== undefined) {
      const n = await nameProgramme(s.deployment, s.signer, w.value, name, s.overrides);
      console.log(`  named ${name} ${mined(n)}`);
    }
  });
}
