import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import { explain } from "../../src/refusals.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { EpcisActionRefused, recordEpcisActions } from "../../src/trace/epcis/record.js";
import { UnitActionRefused, recordUnitActions } from "../../src/trace/epcis/serial-record.js";
import { findOrganisation } from "../../src/registry.js";
import { runTask, session } from "../common.js";

export default async function (a: { file: string; dryRun: boolean; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    let text: string;
    try {
      text = await readFile(a.file, "utf8");
    } catch (e) {
      throw new InvalidInputError("file", a.file, (e as Error).message);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InvalidInputError("file", a.file, `is not JSON: ${(e as Error).message}`);
    }
    const parsed = parseEpcisDocument(json);
    for (const w of parsed.warnings) console.log(`warning: ${w.path}: ${w.message} (kept in the evidence hash only)`);
    console.log(
      `${parsed.events.length} event(s), ${parsed.actions.length} ledger action(s), ${parsed.unitActions.length} serialised-unit action(s)`,
    );
    if (a.dryRun) {
      for (const x of [...parsed.actions, ...parsed.unitActions]) console.log(`  ${x.path}: ${x.kind}`);
      return;
    }
    const s = await session(hre, a.from, requireTrace);
    const { recorded, skipped } = await recordEpcisActions(s.deployment, s.signer, parsed.actions, s.overrides, {
      onRecorded: (x) => console.log(`  ${x.path}: ${x.kind} recorded`),
    }).catch((e: unknown) => {
      // The refusal in the domain's words, inside the import's own sentence.
      if (e instanceof EpcisActionRefused)
        throw new EpcisActionRefused(e.action, e.done, e.reason, explain(e.reason).message);
      throw e;
    });
    // Lots first: a unit event may pack or bind a lot, a lot event never needs a unit.
    const u = await recordUnitActions(s.deployment, s.signer, parsed.unitActions, s.overrides, {
      resolveParty: async (party) => {
        const org = party === undefined ? undefined : await findOrganisation(s.deployment, party);
        if (org === undefined) {
          throw new InvalidInputError("destinationList", party ?? "", "names no registered organisation to ship to");
        }
        return org.account;
      },
      onRecorded: (x) => console.log(`  ${x.path}: ${x.kind} recorded`),
    }).catch((e: unknown) => {
      if (e instanceof UnitActionRefused)
        throw new UnitActionRefused(e.action, e.done, e.reason, explain(e.reason).message);
      throw e;
    });
    console.log(`imported: ${recorded + u.recorded} recorded, ${skipped + u.skipped} already on chain`);
  });
}
