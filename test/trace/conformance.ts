/**
 * GS1 EPCIS 2.0 conformance: GS1's 47 example documents (56 events, ../shared/conformance/epcis/examples,
 * kept unchanged) imported into a fresh deployment as a trading partner's documents would be. What a
 * document needs beforehand is set up from the document itself, as the partner's earlier records: its
 * products (registered by the producer), the lots it names but does not create (commissioned before its
 * first event), shipments it receives (shipped to the logistics company), and a party directory mapping
 * each receiver's GLN to a registered organisation; for serialised items and pallets, the items and
 * containers an event names (test/helpers/unit-setup.ts); for an errorDeclaration, the event it declares
 * in error. Then the document is imported as the CLI does: lot events with importEpcisByParty (every sample
 * organisation's key held), unit events with recordUnitActions by the party that did them; each event is
 * recorded or refused with its reason. The README ("GS1 conformance") lists the reasons.
 *
 * The count of recorded events is pinned below: raise it when the ledger learns to represent more.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";

import { expect } from "chai";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import type { Deployment } from "../../src/deployment.js";
import { TRACE_ACCOUNTS } from "../../src/dev/trace-story.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { explain } from "../../src/refusals.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { type EventOutcome, glnOf, importEpcisByParty } from "../../src/trace/epcis/parties.js";
import { recordUnitActions } from "../../src/trace/epcis/serial-record.js";
import type { BatchRef, EpcisAction } from "../../src/trace/epcis/types.js";
import * as ledger from "../../src/trace/ledger.js";
import { encodeCode, gs1CheckDigit, parseProductCode, unitHex } from "../../src/trace/vocabulary.js";
import { prepareUnits, unitSignerFor } from "../helpers/unit-setup.js";

/**
 * Events of GS1's examples recorded: lot events on TraceLedger, serialised items, pallets, associations and business
 * transactions on TraceUnits, and errorDeclarations as corrections of the events they declare in error (those events
 * set up first, as the partner recorded them). Raise it as the ledger represents more.
 */
const EXPECTED_RECORDED = 43;
/** Events about serialised items, SSCC pallets, associations or transactions (recorded on TraceUnits or refused). */
const EXPECTED_UNIT_EVENTS = 40;
const EXPECTED_EVENTS = 56;

/** Every refusal is one of these reasons (README, "GS1 conformance"). */
const REASONS: readonly [string, RegExp][] = [
  [
    "a class-level pattern (idpat) or a GTIN without lot names no lot",
    /must identify a lot|class-level pattern \(idpat\)/,
  ],
  [
    "an instance-level epcList of what the ledger does not track (GRAI assets) or of nothing",
    /instance-level epcList alone/,
  ],
  [
    "an errorDeclaration of an event the ledger cannot represent",
    /the event it declares in error is not on this chain/,
  ],
  ["ADD of serialised items at receiving: serials are commissioned by their producer", /ADD of serialised items/],
];

/** The event of `doc` at an event's path (`epcisBody.eventList[3]`, or `$` for a document that is one event). */
function eventAt(doc: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  if (path === "$") return doc;
  const m = /\[(\d+)\]$/.exec(path);
  const body = doc.epcisBody as
    { eventList?: unknown[]; event?: unknown; queryResults?: { resultsBody?: { eventList?: unknown[] } } } | undefined;
  const list = body?.eventList ?? body?.queryResults?.resultsBody?.eventList;
  if (m === null) return body?.event as Record<string, unknown> | undefined;
  return list?.[Number(m[1])] as Record<string, unknown> | undefined;
}

const EXAMPLES = new URL("../../../shared/conformance/epcis/examples/", import.meta.url);
const SAMPLE_ORIGIN = BigInt("690123459001" + gs1CheckDigit("690123459001"));

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function deployed(): Promise<Deployment> {
  return deployWithSamples(connection, () => {});
}

const batchesRead = (a: EpcisAction): BatchRef[] => {
  switch (a.kind) {
    case "commission":
      return [];
    case "merge":
    case "transform":
      return a.inputs;
    case "split":
      return [a.batch];
    case "correct":
      return a.batches;
    default:
      return [a.batch];
  }
};
const batchesMade = (a: EpcisAction): string[] => {
  switch (a.kind) {
    case "commission":
    case "merge":
    case "transform":
      return [a.batchId];
    case "split":
      return a.parts.map((p) => p.batchId);
    default:
      return [];
  }
};

describe("GS1 EPCIS 2.0 conformance (GS1's 47 example documents)", function () {
  this.timeout(120_000);
  if (!existsSync(EXAMPLES)) {
    it("needs ../shared/conformance/epcis/examples", function () {
      expect.fail(`missing ${EXAMPLES.pathname}`);
    });
    return;
  }
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".jsonld") || f.endsWith(".json"))
    .sort();

  it("records every event the ledger can represent, and refuses the others with a listed reason", async function () {
    expect(files).to.have.length(47);
    const d = await networkHelpers.loadFixture(deployed);
    const overrides = await legacyOverrides(ethers.provider, undefined);
    const all = await ethers.getSigners();
    const signer = (a: string) => all.find((s) => s.address.toLowerCase() === a.toLowerCase())!;
    const signers = new Map(Object.values(TRACE_ACCOUNTS).map((a) => [a, signer(a)] as const));
    const producer = signer(TRACE_ACCOUNTS.cooperative);
    const logistics = signer(TRACE_ACCOUNTS.logistics);
    const parties = {
      d,
      producer,
      logistics,
      overrides,
      now: async () => BigInt(await networkHelpers.time.latest()),
    };

    const rows: (EventOutcome & { file: string })[] = [];
    const unitEvents: string[] = [];
    for (const file of files) {
      await networkHelpers.loadFixture(deployed); // a fresh deployment for each document
      const doc = JSON.parse(readFileSync(new URL(file, EXAMPLES), "utf8")) as Record<string, unknown>;
      const parsed = parseEpcisDocument(doc, { tolerant: true });

      // The partner's earlier records, from the document itself.
      const firstTime = parsed.actions.reduce(
        (m, a) => (a.context.eventTime < m ? a.context.eventTime : m),
        BigInt(Math.floor(Date.now() / 1000)),
      );
      const before = firstTime > 86_400n ? firstTime - 86_400n : 1n;
      for (const code of new Set(parsed.actions.flatMap((a) => productsOf(a)))) {
        if ((await ledger.getProduct(d, parseProductCode(code))) !== undefined) continue;
        await ledger.registerProduct(
          d,
          producer,
          {
            productCode: parseProductCode(code),
            category: 0,
            producer: producer.address,
            geographicIndication: false,
            metadataHash: "0x" + "00".repeat(32),
          },
          overrides,
        );
      }
      const made = new Set<string>();
      const shipped = new Set<string>();
      const directory = new Map<string, string>();
      for (const a of parsed.actions) {
        if (a.kind === "ship" && a.to !== undefined) {
          const gln = glnOf(a.to);
          if (gln !== undefined) directory.set(gln, TRACE_ACCOUNTS.supermarket);
          shipped.add(a.batch.batchId);
        }
        for (const b of batchesRead(a)) {
          if (made.has(b.batchId) || (await ledger.getBatch(d, b.batchId)) !== undefined) continue;
          const quantity = a.kind === "split" ? a.batch.quantity : (b.quantity ?? 1000_000n);
          await ledger.commissionBatch(
            d,
            producer,
            {
              productCode: parseProductCode(b.productCode),
              lotCode: encodeCode("lot", b.lotCode),
              quantity,
              uom: unitHex(b.uom ?? "H87"),
              giCertificate: 0,
            },
            ledger.context(SAMPLE_ORIGIN, "0x" + "11".repeat(32), before),
            overrides,
          );
          if (a.kind === "accept" && !shipped.has(b.batchId)) {
            await ledger.ship(
              d,
              producer,
              b.batchId,
              TRACE_ACCOUNTS.logistics,
              ledger.context(SAMPLE_ORIGIN, "0x" + "22".repeat(32), before),
              overrides,
            );
          }
        }
        for (const id of batchesMade(a)) made.add(id);
      }

      // The events an errorDeclaration declares in error were recorded by the partner before: set up from the
      // declaration itself (the event without it), by the organisation that would have recorded it.
      for (const ev of parsed.events) {
        const raw = eventAt(doc, ev.path);
        if (raw === undefined || raw.errorDeclaration === undefined) continue;
        const declared: Record<string, unknown> = { ...raw, "@context": doc["@context"] };
        delete declared.errorDeclaration;
        let before: ReturnType<typeof parseEpcisDocument>;
        try {
          before = parseEpcisDocument(declared, { tolerant: true });
        } catch {
          continue; // the declared event cannot be represented: its correction is refused with the reason
        }
        await importEpcisByParty(d, before, { signers, directory, overrides, explain: (e) => explain(e).message });
        if (before.unitActions.length > 0) {
          const by = await unitSignerFor(parties, before.unitActions);
          await prepareUnits(parties, before.unitActions, by);
          await recordUnitActions(d, by, before.unitActions, overrides, {
            resolveParty: async () => logistics.address,
          }).catch((e: unknown) =>
            console.log(`        (set-up of ${file} ${ev.path}'s declared event: ${(e as Error).message})`),
          );
        }
      }

      const outcomes = await importEpcisByParty(d, parsed, {
        signers,
        directory,
        overrides,
        explain: (e) => explain(e).message,
      });
      // Events about serialised items, pallets, associations or business transactions go to TraceUnits
      // (`unitActions`), recorded as the CLI does after the lot events, by the party that did them.
      const unitPaths = new Set(
        parsed.events.filter((e) => e.actions.length === 0 && (e.unitActions?.length ?? 0) > 0).map((e) => e.path),
      );
      for (const o of outcomes) if (!unitPaths.has(o.path)) rows.push({ ...o, file });
      for (const ev of parsed.events) {
        if (!unitPaths.has(ev.path)) continue;
        const actions = ev.unitActions!;
        const by = await unitSignerFor(parties, actions);
        try {
          if (!actions.some((a) => a.kind === "correctUnits")) await prepareUnits(parties, actions, by);
          await recordUnitActions(d, by, actions, overrides, { resolveParty: async () => logistics.address });
          rows.push({ file, path: ev.path, eventID: ev.eventID, status: "recorded" });
        } catch (e) {
          const cause = (e as { reason?: unknown }).reason;
          const reason = (cause !== undefined ? explain(cause) : (e as Error)).message;
          rows.push({ file, path: ev.path, eventID: ev.eventID, status: "refused", reason });
        }
        unitEvents.push(`${file} ${ev.path}`);
      }
      for (const r of parsed.refused) {
        rows.push({ file, path: r.path, eventID: r.eventID, status: "refused", reason: r.error.message });
      }
    }

    const recorded = rows.filter((r) => r.status === "recorded");
    const refused = rows.filter((r) => r.status !== "recorded");
    console.log(`      ${recorded.length} of ${rows.length} events recorded`);
    for (const r of recorded) console.log(`        recorded  ${r.file} ${r.path}`);
    for (const r of refused) console.log(`        ${r.status.padEnd(9)} ${r.file} ${r.path}: ${r.reason ?? ""}`);

    console.log(
      `      ${unitEvents.length} of them serialised items, pallets, associations or transactions (TraceUnits)`,
    );
    expect(rows.length).to.equal(EXPECTED_EVENTS);
    expect(unitEvents).to.have.length(EXPECTED_UNIT_EVENTS);
    expect(recorded).to.have.length(EXPECTED_RECORDED);
    for (const r of refused) {
      expect(r.status, `${r.file} ${r.path}`).to.equal("refused");
      const reason = r.reason ?? "";
      expect(
        REASONS.some(([, re]) => re.test(reason)),
        `${r.file} ${r.path}: unlisted reason: ${reason}`,
      ).to.equal(true);
      // Users read sentences, never raw error names.
      expect(reason, `${r.file} ${r.path}`).to.not.match(/\bTraceLedger[A-Z]\w+/);
    }
  });
});

function productsOf(a: EpcisAction): string[] {
  switch (a.kind) {
    case "commission":
    case "merge":
      return [a.productCode];
    case "transform":
      return [...a.inputs.map((i) => i.productCode), a.outputProduct];
    case "split":
      return [a.batch.productCode];
    case "correct":
      return a.batches.map((b) => b.productCode);
    default:
      return [a.batch.productCode];
  }
}
