import { appendFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { explain } from "../../src/refusals.js";
import { parseAddress } from "../../src/registry.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import {
  type EventOutcome,
  importEpcisByParty,
  partDocuments,
  partyDirectoryOf,
} from "../../src/trace/epcis/parties.js";
import { UnitActionRefused, recordUnitActions } from "../../src/trace/epcis/serial-record.js";
import { findOrganisation } from "../../src/registry.js";
import { openSession, runTask } from "../common.js";

async function readJson(field: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InvalidInputError(field, file, (e as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(field, file, `is not JSON: ${(e as Error).message}`);
  }
}

export default async function (
  a: { file: string; dryRun: boolean; from: string; parties: string; parts: string; journal: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const json = await readJson("file", a.file);
    const parsed = parseEpcisDocument(json, { tolerant: true });
    for (const w of parsed.warnings) console.log(`warning: ${w.path}: ${w.message} (kept in the evidence hash only)`);
    console.log(
      `${parsed.events.length + parsed.refused.length} event(s), ${parsed.actions.length} ledger action(s), ${parsed.unitActions.length} serialised-unit action(s), ${parsed.refused.length} the ledger cannot represent`,
    );
    if (a.dryRun) {
      for (const x of parsed.actions) console.log(`  ${x.path}: ${x.kind} (${x.eventID})`);
      for (const x of parsed.unitActions) console.log(`  ${x.path}: ${x.kind}`);
      for (const r of parsed.refused) console.log(`  ${r.path}: refused: ${r.error.message}`);
      return;
    }
    const s = await openSession(hre, "");
    requireTrace(s.deployment);
    const { ethers } = await hre.network.getOrCreate();
    const all = await ethers.getSigners();
    const wanted =
      a.from.trim() === "" ? all.map((x) => x.address) : a.from.split(",").map((x) => parseAddress("--from", x.trim()));
    const signers = new Map<string, Signer>();
    for (const w of wanted) {
      const signer = all.find((x) => x.address === w);
      if (signer === undefined) throw new LedgerError(`account ${w} is not available on network ${s.networkName}`);
      signers.set(w, signer);
    }
    const directory = a.parties === "" ? undefined : partyDirectoryOf(await readJson("--parties", a.parties));
    const outcomes = await importEpcisByParty(s.deployment, parsed, {
      signers,
      ...(directory !== undefined ? { directory } : {}),
      overrides: s.overrides,
      explain: (e) => explain(e).message,
      onEvent: (o) => {
        if (a.journal !== "") appendFileSync(a.journal, JSON.stringify(o) + "\n");
      },
    });
    // Serialised items, pallets, associations and business transactions (TraceUnits), after the lots: a unit
    // event may pack or bind a lot, a lot event never needs a unit. They are signed by the first --from account.
    let units = { recorded: 0, skipped: 0 };
    if (parsed.unitActions.length > 0) {
      const unitSigner = signers.get(wanted[0]!);
      if (unitSigner === undefined) throw new LedgerError("serialised-unit events need an account (--from)");
      units = await recordUnitActions(s.deployment, unitSigner, parsed.unitActions, s.overrides, {
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
    }
    const rows: EventOutcome[] = [
      ...outcomes,
      ...parsed.refused.map((r): EventOutcome => ({
        path: r.path,
        eventID: r.eventID,
        status: "refused",
        reason: r.error.message,
      })),
    ].sort((x, y) => x.path.localeCompare(y.path, "en", { numeric: true }));
    for (const o of rows) {
      const who = o.party !== undefined ? ` ${o.status === "waiting" ? "for" : "by"} ${o.party}` : "";
      console.log(`  ${o.path} ${o.eventID}: ${o.status}${who}${o.reason !== undefined ? `: ${o.reason}` : ""}`);
    }
    const count = (st: EventOutcome["status"]) => rows.filter((o) => o.status === st).length;
    const parts = partDocuments(parsed, outcomes, (json as { "@context"?: unknown })["@context"]);
    if (parts.size > 0) {
      await mkdir(a.parts, { recursive: true });
      for (const [party, doc] of parts) {
        const file = join(a.parts, `${party}.jsonld`);
        await writeFile(file, JSON.stringify(doc, null, 2) + "\n");
        console.log(`  part for ${party}: ${file} (to be imported by that organisation)`);
      }
    }
    console.log(
      `imported: ${count("recorded") + units.recorded} recorded, ${count("already recorded") + units.skipped} already recorded, ${count("waiting")} waiting for another organisation, ${count("refused")} refused`,
    );
    if (
      count("refused") > 0 &&
      count("recorded") + count("already recorded") + count("waiting") + units.recorded + units.skipped === 0
    ) {
      const why = rows.map((o) => `${o.path}: ${o.reason ?? o.status}`).join("; ");
      throw new LedgerError(`nothing in the document could be recorded: ${why}`);
    }
  });
}
