/**
 * The `trace ...` commands. Each reads its options, checks them locally (codes, GTIN and GLN
 * check digits, quantities, units, dates), then writes through src/trace/ledger.ts, which
 * simulates every write before sending it.
 */
import { readFile, writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroHash } from "ethers";

import { requireTrace, type Deployment } from "../../src/deployment.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { printTable } from "../../src/format.js";
import { documentHash, requiredDocumentHash } from "../../src/hash.js";
import { findOrganisation, organisationNamer } from "../../src/registry.js";
import {
  EpcisError,
  ZX_NAMESPACE,
  exportEpcis,
  parseEpcisDocument,
  type EpcisAction,
  type TraceFact,
} from "../../src/trace/epcis.js";
import { batchHistory, descendantsOf, type BatchHistory } from "../../src/trace/history.js";
import * as ledger from "../../src/trace/ledger.js";
import { batchUrl, explorerBaseUrl, writeQr } from "../../src/trace/qr.js";
import {
  BIZ_STEP_ZH,
  CATEGORIES,
  OBSERVATION_STEPS,
  decodeCode,
  encodeCode,
  formatGln,
  formatQuantity,
  parseBatchRef,
  parseBizStep,
  parseCategory,
  parseGln,
  parseProductCode,
  parseQuantity,
  parseRecallAction,
  parseUnit,
  unitCode,
  unitHex,
} from "../../src/trace/vocabulary.js";
import {
  jsonText,
  mined,
  openReader,
  openSession,
  organisationOption,
  required,
  runTask,
  type Session,
} from "../common.js";

type Hre = HardhatRuntimeEnvironment;

interface ContextArgs {
  location: string;
  time: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
}

/** ISO 8601 date-time to unix seconds; a bare date means the start of that day in China (UTC+8). */
export function parseTime(field: string, input: string): bigint {
  const v = input.trim();
  const text = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : v;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) {
    throw new InvalidInputError(field, input, "must be an ISO 8601 date or date-time, e.g. 2026-11-20T08:30:00+08:00");
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A last day of validity (`2027-06-30`) to the end of that day in China; or a full date-time. */
function parseValidUntil(field: string, input: string): bigint {
  const v = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return parseTime(field, v) + 86_399n;
  return parseTime(field, v);
}

async function contextOf(a: ContextArgs, evidenceRequired = false): Promise<ledger.Context> {
  const evidenceHash = await documentHash("evidence hash", { file: a.evidenceFile, hash: a.evidenceHash });
  if (evidenceRequired && evidenceHash === ZeroHash) {
    throw new LedgerError("this step needs its evidence: give --evidence-file or --evidence-hash");
  }
  return ledger.context(parseGln(a.location), evidenceHash, a.time === "" ? undefined : parseTime("--time", a.time));
}

function batchList(input: string | undefined, flag: string): string[] {
  const list = required(flag, input)
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  if (list.length === 0) throw new LedgerError(`${flag}: give at least one batch`);
  return list.map(parseBatchRef);
}

async function session(hre: Hre, from: string): Promise<Session> {
  const s = await openSession(hre, from);
  requireTrace(s.deployment);
  return s;
}

function time(seconds: bigint): string {
  if (seconds === 0n) return "";
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

// ---------------------------------------------------------------- products and GI

export async function productRegister(
  a: { code: string; category?: string; producer: string; gi: boolean; metadataFile: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const category = parseCategory(required("--category", a.category));
    const metadataHash = await documentHash("metadata hash", { file: a.metadataFile });
    const s = await session(hre, a.from);
    const producer =
      a.producer === "" ? s.signer.address : (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.registerProduct(
      s.deployment,
      s.signer,
      { productCode, category, producer, geographicIndication: a.gi, metadataHash },
      s.overrides,
    );
    console.log(`registered product ${a.code.trim()} (${CATEGORIES[category]}${a.gi ? ", GI" : ""}) ${mined(w)}`);
  });
}

export async function productCorrect(
  a: { code: string; category: string; producer: string; reasonFile: string; reasonHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const reasonHash = await requiredDocumentHash(
      "reason hash",
      { file: a.reasonFile, hash: a.reasonHash },
      "correction decision",
      "reason",
    );
    const s = await session(hre, a.from);
    const p = await ledger.getProduct(s.deployment, productCode);
    if (p === undefined) throw new LedgerError(`no product ${a.code.trim()} on this chain`);
    const category = a.category.trim() === "" ? CATEGORIES.indexOf(p.category) : parseCategory(a.category);
    const producer =
      a.producer.trim() === ""
        ? p.producer
        : (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.correctProduct(
      s.deployment,
      s.signer,
      { productCode, category, producer, reasonHash },
      s.overrides,
    );
    console.log(`corrected product ${a.code.trim()}: ${CATEGORIES[category]}, producer ${producer} ${mined(w)}`);
  });
}

export async function productShow(a: { code: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await ledger.getProduct(d, parseProductCode(a.code));
    if (p === undefined) throw new LedgerError(`no product ${a.code.trim()} on this chain`);
    if (a.json) return console.log(jsonText(p));
    const nameOf = await organisationNamer(d);
    console.log(`product ${p.productCode}: ${p.category}${p.geographicIndication ? ", geographic indication" : ""}`);
    console.log(`  producer  ${nameOf(p.producer)} (${p.producer})`);
  });
}

export async function giIssue(
  a: {
    producer?: string;
    product?: string;
    ceiling?: string;
    unit: string;
    validUntil?: string;
    documentFile: string;
    documentHash: string;
    from: string;
  },
  hre: Hre,
) {
  return runTask(async () => {
    const productCode = parseProductCode(required("--product", a.product));
    const ceiling = parseQuantity(required("--ceiling", a.ceiling), "--ceiling");
    const unit = parseUnit(a.unit);
    const validUntil = parseValidUntil("--valid-until", required("--valid-until", a.validUntil));
    const doc = await requiredDocumentHash(
      "document hash",
      { file: a.documentFile, hash: a.documentHash },
      "certificate",
      "document",
    );
    const s = await session(hre, a.from);
    const producer = (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.issueGiCertificate(
      s.deployment,
      s.signer,
      { producer, productCode, uom: unit.hex, ceiling, validUntil, documentHash: doc },
      s.overrides,
    );
    console.log(
      `GI certificate ${w.value} issued: ${formatQuantity(ceiling)} ${unit.code} of ${a.product!.trim()} until ${time(validUntil)} ${mined(w)}`,
    );
  });
}

export async function giShow(a: { certificate: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const id = positiveInt("certificate", a.certificate);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    if (id > (await trace.giCertificateCount())) throw new LedgerError(`no GI certificate ${id} on this chain`);
    const g = await trace.giCertificate(id);
    const productCode = decodeCode(await trace.productCodeAt(g.productSeq));
    const view = {
      certificate: id,
      producer: g.producer,
      product: productCode,
      unit: unitCode(g.uom),
      ceiling: formatQuantity(g.ceiling),
      labelled: formatQuantity(g.labelled),
      remaining: formatQuantity(g.ceiling - g.labelled),
      validUntil: time(g.validUntil),
    };
    if (a.json) return console.log(jsonText(view));
    const nameOf = await organisationNamer(d);
    console.log(`GI certificate ${id}: ${view.product} by ${nameOf(g.producer)}, valid until ${view.validUntil}`);
    console.log(`  ceiling ${view.ceiling} ${view.unit}, labelled ${view.labelled}, remaining ${view.remaining}`);
  });
}

function positiveInt(field: string, input: string): bigint {
  const v = input.trim();
  if (!/^[1-9]\d{0,9}$/.test(v)) throw new InvalidInputError(field, input, "must be a positive whole number");
  return BigInt(v);
}

// ---------------------------------------------------------------- batches

export async function batchCommission(
  a: ContextArgs & { product: string; lot: string; quantity?: string; unit: string; giCertificate: string },
  hre: Hre,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.product);
    const lotCode = encodeCode("lot", a.lot);
    const quantity = parseQuantity(required("--quantity", a.quantity), "--quantity");
    const unit = parseUnit(a.unit);
    const gi = a.giCertificate.trim() === "0" ? 0n : positiveInt("--gi-certificate", a.giCertificate);
    if (a.location.trim() === "") throw new LedgerError("give the origin with --location (a GLN-13)");
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.commissionBatch(
      s.deployment,
      s.signer,
      { productCode, lotCode, quantity, uom: unit.hex, giCertificate: gi },
      ctx,
      s.overrides,
    );
    console.log(
      `commissioned ${a.product.trim()}/${a.lot.trim()}: ${formatQuantity(quantity)} ${unit.code}, batch ${w.value} ${mined(w)}`,
    );
  });
}

export async function batchShow(a: { batch: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const b = await ledger.requireBatch(d, id);
    if (a.json) return console.log(jsonText(b));
    const nameOf = await organisationNamer(d);
    console.log(`batch ${id}`);
    printTable(
      ["field", "value"],
      [
        ["product", b.productCode],
        ["quantity", `${formatQuantity(b.quantity)} ${b.uom}`],
        ["status", b.recalled ? `${b.status} — RECALLED` : b.status],
        ["custodian", `${nameOf(b.custodian)} (${b.custodian})`],
        ...(b.receiver !== undefined ? [["shipped to", `${nameOf(b.receiver)} (${b.receiver})`]] : []),
        [
          "certificate",
          b.cert === "none"
            ? "none"
            : `${b.cert}${b.cert === "passed" ? `, valid until ${time(b.certValidUntil)}` : ""}`,
        ],
        ["GI certificate", b.giCertificate === 0 ? "none" : String(b.giCertificate)],
        ["parents", b.parents.length === 0 ? "none (commissioned)" : b.parents.join(", ")],
        ["sellable now", b.sellable ? "yes" : "no"],
      ],
    );
  });
}

export async function history(a: { batch: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    const h = await batchHistory(trace, trace.runner!.provider!, id);
    if (a.json) return console.log(jsonText(h));
    const nameOf = await organisationNamer(d);
    const lotOf = new Map(h.lineage.map((l) => [l.batchId, `${l.productCode}/${l.lotCode}`]));
    const label = (x: string) => lotOf.get(x.toLowerCase()) ?? x;
    console.log(`history of ${label(id)} (${id})`);
    console.log("\nlineage (this batch first, then what it was made from):");
    printTable(
      ["depth", "batch", "quantity", "made by", "from"],
      h.lineage.map((l) => [
        String(l.depth),
        `${l.productCode}/${l.lotCode}`,
        `${formatQuantity(l.quantity)} ${l.uom}`,
        l.origin,
        l.parents.map(label).join(", "),
      ]),
    );
    console.log("\nevents, oldest first:");
    printTable(
      ["time", "batch", "step", "by", "where", "detail"],
      h.steps.map((s) => [
        time(s.eventTime) || `block ${s.blockNumber}`,
        label(s.batchId),
        s.kind in BIZ_STEP_ZH ? `${s.kind} ${BIZ_STEP_ZH[s.kind as keyof typeof BIZ_STEP_ZH]}` : s.kind,
        nameOf(s.org),
        formatGln(s.location),
        describeDetail(s, nameOf, label),
      ]),
    );
    console.log("\nchain of custody:");
    for (const c of h.custody) console.log(`  ${time(c.since).padEnd(20)} ${nameOf(c.org)} took ${label(c.batchId)}`);
  });
}

function describeDetail(
  s: { kind: string; counterparty?: string; detail: Readonly<Record<string, unknown>> },
  nameOf: (a: string) => string,
  label: (id: string) => string,
): string {
  const d = s.detail;
  switch (s.kind) {
    case "shipping":
      return `to ${nameOf(s.counterparty ?? "")}`;
    case "receiving":
      return `from ${nameOf(s.counterparty ?? "")}`;
    case "shipment_cancelled":
      return d.refused === true ? `refused by ${nameOf(s.counterparty ?? "")}` : "cancelled by sender";
    case "transforming":
      if (d.operation === "split") return `split into ${(d.outputs as string[]).length} batches`;
      return `${String(d.operation)} of ${(d.inputs as string[]).map(label).join(" + ")}${d.ratioPpm !== undefined ? ` at ratio ${Number(d.ratioPpm) / 1e6}` : ""}`;
    case "certificate":
      return d.passed === true ? `passed, valid until ${time(BigInt(String(d.validUntil)))}` : "FAILED";
    case "recall":
      return `RECALL #${String(d.recallId)}`;
    case "recall_acknowledged":
      return `recall #${String(d.recallId)}: ${String(d.action)} ${formatQuantity(BigInt(String(d.quantity)))}`;
    default:
      return "";
  }
}

// ---------------------------------------------------------------- custody

export async function event(a: ContextArgs & { batch: string; step: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const step = parseBizStep(a.step);
    if (!OBSERVATION_STEPS.includes(step)) {
      throw new LedgerError(
        `${step} changes custody or status: use its own command (trace ship, accept, split, merge, transform, sell, destroy); trace event takes ${OBSERVATION_STEPS.join(", ")}`,
      );
    }
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.recordEvent(s.deployment, s.signer, id, step, ctx, s.overrides);
    console.log(`recorded ${step} on ${a.batch.trim()} ${mined(w)}`);
  });
}

export async function shipBatch(a: ContextArgs & { batch: string; to?: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const to = (await organisationOption(s.deployment, "--to", a.to)).account;
    const w = await ledger.ship(s.deployment, s.signer, id, to, ctx, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(`shipped ${a.batch.trim()} to ${nameOf(to)}; custody passes when it accepts ${mined(w)}`);
  });
}

export async function acceptBatch(a: ContextArgs & { batch: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.accept(s.deployment, s.signer, id, ctx, s.overrides);
    console.log(`accepted ${a.batch.trim()}: custody is now yours ${mined(w)}`);
  });
}

export async function cancel(a: { batch: string; from: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const s = await session(hre, a.from);
    const w = await ledger.cancelShipment(s.deployment, s.signer, id, s.overrides);
    console.log(`shipment of ${a.batch.trim()} ended without hand-over ${mined(w)}`);
  });
}

export async function splitBatch(
  a: ContextArgs & { batch: string; parts: string; count: string; lotPrefix: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
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
      const n = Number(positiveInt("--count", required("--count", a.count)));
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

export async function mergeBatches(a: ContextArgs & { lot: string; inputs?: string }, hre: Hre) {
  return runTask(async () => {
    const inputs = batchList(a.inputs, "--inputs");
    const lotCode = encodeCode("lot", a.lot);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.merge(s.deployment, s.signer, inputs, lotCode, ctx, s.overrides);
    console.log(`merged ${inputs.length} batches into lot ${a.lot.trim()}: batch ${w.value} ${mined(w)}`);
  });
}

export async function transformBatches(
  a: ContextArgs & {
    inputs?: string;
    product?: string;
    lot?: string;
    unit: string;
    ratio: string;
    giCertificate: string;
  },
  hre: Hre,
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
    const gi = a.giCertificate.trim() === "0" ? 0n : positiveInt("--gi-certificate", a.giCertificate);
    const ctx = await contextOf(a, true);
    const s = await session(hre, a.from);
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

export async function sellBatch(a: ContextArgs & { batch: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.sell(s.deployment, s.signer, id, ctx, s.overrides);
    console.log(`sold ${a.batch.trim()} at retail ${mined(w)}`);
  });
}

export async function destroyBatch(a: ContextArgs & { batch: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from);
    const w = await ledger.destroy(s.deployment, s.signer, id, ctx, s.overrides);
    console.log(`destroyed ${a.batch.trim()} ${mined(w)}`);
  });
}

// ---------------------------------------------------------------- certificates and recall

export async function certifyBatch(
  a: { batch: string; fail: boolean; validUntil: string; reportFile: string; reportHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const reportHash = await requiredDocumentHash(
      "report hash",
      { file: a.reportFile, hash: a.reportHash },
      "inspection report",
      "report",
    );
    let validUntil = 0n;
    if (!a.fail) validUntil = parseValidUntil("--valid-until", required("--valid-until", a.validUntil));
    const s = await session(hre, a.from);
    const w = await ledger.certify(
      s.deployment,
      s.signer,
      id,
      { passed: !a.fail, validUntil, reportHash },
      s.overrides,
    );
    console.log(`${a.fail ? "FAILED" : `passed until ${time(validUntil)}`}: ${a.batch.trim()} ${mined(w)}`);
  });
}

export async function reinspect(
  a: { batch: string; decisionFile: string; decisionHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const decisionHash = await requiredDocumentHash(
      "decision hash",
      { file: a.decisionFile, hash: a.decisionHash },
      "re-inspection decision",
      "decision",
    );
    const s = await session(hre, a.from);
    const w = await ledger.allowReinspection(s.deployment, s.signer, id, decisionHash, s.overrides);
    console.log(`re-inspection allowed: ${a.batch.trim()} is open to a new inspection ${mined(w)}`);
  });
}

export async function recallBatch(
  a: { batch: string; reasonFile: string; reasonHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const reasonHash = await requiredDocumentHash(
      "reason hash",
      { file: a.reasonFile, hash: a.reasonHash },
      "recall notice",
      "reason",
    );
    const s = await session(hre, a.from);
    const w = await ledger.recall(s.deployment, s.signer, id, reasonHash, s.overrides);
    const trace = requireTrace(s.deployment);
    const reach = await descendantsOf(trace, trace.runner!.provider!, id);
    console.log(`recall ${w.value}: ${a.batch.trim()} and ${reach.length} batch(es) made from it ${mined(w)}`);
  });
}

export async function acknowledge(
  a: {
    recall: string;
    batch: string;
    action: string;
    quantity: string;
    evidenceFile: string;
    evidenceHash: string;
    from: string;
  },
  hre: Hre,
) {
  return runTask(async () => {
    const recallId = positiveInt("recall", a.recall);
    const id = parseBatchRef(a.batch);
    const action = parseRecallAction(a.action);
    const evidenceHash = await documentHash("evidence hash", { file: a.evidenceFile, hash: a.evidenceHash });
    const s = await session(hre, a.from);
    const b = await ledger.requireBatch(s.deployment, id);
    let quantity = b.quantity;
    if (a.quantity.trim() !== "") quantity = parseQuantity(a.quantity, "--quantity");
    else if (recallId <= (await requireTrace(s.deployment).recallCount())) {
      // In the recall's unit, at most the recalled quantity (a batch in another unit may count more).
      const affected = (await requireTrace(s.deployment).recallInfo(recallId)).affected;
      if (quantity > affected) quantity = affected;
    }
    const w = await ledger.acknowledgeRecall(
      s.deployment,
      s.signer,
      { recallId, batchId: id, action, quantity, evidenceHash },
      s.overrides,
    );
    console.log(
      `recall ${recallId}: ${a.action.trim()} ${formatQuantity(quantity)} ${b.uom} of ${a.batch.trim()} ${mined(w)}`,
    );
  });
}

export async function recallStatus(a: { recall: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const recallId = positiveInt("recall", a.recall);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    if (recallId > (await trace.recallCount())) throw new LedgerError(`no recall ${recallId} on this chain`);
    const r = await trace.recallInfo(recallId);
    const reach = await descendantsOf(trace, trace.runner!.provider!, r.batchId);
    const uom = unitCode(r.uom);
    const effectiveness = r.affected === 0n ? 0 : Math.min(1, Number((r.accounted * 10_000n) / r.affected) / 10_000);
    const view = {
      recall: Number(recallId),
      batchId: r.batchId,
      reach: reach.length + 1,
      affected: formatQuantity(r.affected),
      accounted: formatQuantity(r.accounted),
      unit: uom,
      acknowledgements: Number(r.acknowledgements),
      effectiveness,
    };
    if (a.json) return console.log(jsonText(view));
    console.log(`recall ${recallId} of ${r.batchId}: reaches ${view.reach} batch(es)`);
    console.log(
      `  accounted for ${view.accounted} of ${view.affected} ${uom} (${(effectiveness * 100).toFixed(1)}%) in ${view.acknowledgements} acknowledgement(s)`,
    );
  });
}

// ---------------------------------------------------------------- QR

export async function qr(a: { batch: string; out: string; baseUrl: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const base = explorerBaseUrl(a.baseUrl);
    const d = await openReader(hre);
    const b = await ledger.requireBatch(d, id);
    const name = a.batch.includes("/") ? a.batch.trim() : `${b.productCode}_${id.slice(2, 10)}`;
    const files = await writeQr(a.out, name, batchUrl(base, id));
    console.log(`QR for ${files.url}\n  ${files.png}\n  ${files.svg}`);
  });
}

// ---------------------------------------------------------------- EPCIS

/** Whether an action's effect is on chain already (a re-run after a crash skips it). */
async function alreadyDone(d: Deployment, a: EpcisAction, signer: string): Promise<boolean> {
  const exists = async (id: string) => (await ledger.getBatch(d, id)) !== undefined;
  switch (a.kind) {
    case "commission":
    case "merge":
    case "transform":
      return exists(a.batchId);
    case "split":
      return exists(a.parts[0]!.batchId);
    case "ship": {
      const b = await ledger.getBatch(d, a.batch.batchId);
      return b?.status === "in_transit";
    }
    case "accept": {
      const b = await ledger.getBatch(d, a.batch.batchId);
      return b?.status === "active" && b.custodian.toLowerCase() === signer.toLowerCase();
    }
    case "sell":
      return (await ledger.getBatch(d, a.batch.batchId))?.status === "retail_sold";
    case "destroy":
      return (await ledger.getBatch(d, a.batch.batchId))?.status === "destroyed";
    default:
      return false;
  }
}

async function resolveParty(d: Deployment, a: EpcisAction & { kind: "ship" }): Promise<string> {
  const to = a.to?.trim();
  if (to === undefined || to === "") {
    throw new EpcisError(
      `${a.path}.destinationList`,
      "a shipment needs its receiver (possessing_party or owning_party)",
    );
  }
  const account = to.startsWith(`${ZX_NAMESPACE}account/`) ? to.slice(`${ZX_NAMESPACE}account/`.length) : to;
  const org = await findOrganisation(d, account);
  if (org === undefined) {
    throw new EpcisError(`${a.path}.destinationList`, `no registered organisation matches ${JSON.stringify(to)}`);
  }
  return org.account;
}

export async function epcisImport(a: { file: string; dryRun: boolean; from: string }, hre: Hre) {
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
    console.log(`${parsed.events.length} event(s), ${parsed.actions.length} ledger action(s)`);
    if (a.dryRun) {
      for (const x of parsed.actions) console.log(`  ${x.path}: ${x.kind}`);
      return;
    }
    const s = await session(hre, a.from);
    const d = s.deployment;
    let done = 0;
    let skipped = 0;
    for (const x of parsed.actions) {
      if (await alreadyDone(d, x, s.signer.address)) {
        skipped++;
        continue;
      }
      const ctx = x.context;
      const o = s.overrides;
      try {
        switch (x.kind) {
          case "commission":
            await ledger.commissionBatch(
              d,
              s.signer,
              {
                productCode: parseProductCode(x.productCode),
                lotCode: encodeCode("lot", x.lotCode),
                quantity: x.quantity,
                uom: unitHex(x.uom),
                giCertificate: x.giCertificate ?? 0,
              },
              ctx,
              o,
            );
            break;
          case "observe":
            await ledger.recordEvent(d, s.signer, x.batch.batchId, x.bizStep, ctx, o);
            break;
          case "ship":
            await ledger.ship(d, s.signer, x.batch.batchId, await resolveParty(d, x), ctx, o);
            break;
          case "accept":
            await ledger.accept(d, s.signer, x.batch.batchId, ctx, o);
            break;
          case "split":
            await ledger.split(
              d,
              s.signer,
              x.batch.batchId,
              x.parts.map((p) => ({ lotCode: encodeCode("lot", p.lotCode), quantity: p.quantity })),
              ctx,
              o,
            );
            break;
          case "merge":
            await ledger.merge(
              d,
              s.signer,
              x.inputs.map((i) => i.batchId),
              encodeCode("lot", x.lotCode),
              ctx,
              o,
            );
            break;
          case "transform":
            await ledger.transform(
              d,
              s.signer,
              x.inputs.map((i) => i.batchId),
              {
                outputProduct: parseProductCode(x.outputProduct),
                outputLot: encodeCode("lot", x.outputLot),
                outputUom: unitHex(x.outputUom),
                ratioPpm: x.ratioPpm,
                giCertificate: x.giCertificate ?? 0,
              },
              ctx,
              o,
            );
            break;
          case "sell":
            await ledger.sell(d, s.signer, x.batch.batchId, ctx, o);
            break;
          case "destroy":
            await ledger.destroy(d, s.signer, x.batch.batchId, ctx, o);
            break;
          case "certify":
            await ledger.certify(d, s.signer, x.batch.batchId, x, o);
            break;
          case "recall":
            await ledger.recall(d, s.signer, x.batch.batchId, x.reasonHash, o);
            break;
        }
      } catch (e) {
        throw new LedgerError(
          `${x.path} (${x.kind}): ${(e as Error).message} — ${done} action(s) recorded before it; fix and re-run: recorded ones are skipped`,
        );
      }
      done++;
      console.log(`  ${x.path}: ${x.kind} recorded`);
    }
    console.log(`imported: ${done} recorded, ${skipped} already on chain`);
  });
}

/** The ledger's facts about a batch's lineage, for the EPCIS export. */
export function factsOf(h: BatchHistory): TraceFact[] {
  const byId = new Map(h.lineage.map((l) => [l.batchId, l]));
  const batchOf = (id: string) => {
    const l = byId.get(id.toLowerCase());
    if (l === undefined) throw new LedgerError(`batch ${id} is not in the lineage`);
    return { productCode: l.productCode, lotCode: l.lotCode, quantity: l.quantity, uom: l.uom };
  };
  const facts: TraceFact[] = [];
  for (const st of h.steps) {
    const base = {
      location: st.location,
      eventTime: st.eventTime,
      evidenceHash: st.evidenceHash,
      actor: st.org,
      txHash: st.txHash,
      blockNumber: st.blockNumber,
    };
    const d = st.detail;
    const b = batchOf(st.batchId);
    switch (st.kind) {
      case "commissioning":
        facts.push({ ...base, ...b, kind: "commissioned", giCertificate: Number(d.giCertificate ?? 0) });
        break;
      case "shipping":
        facts.push({ ...base, ...b, kind: "shipped", to: st.counterparty ?? "" });
        break;
      case "receiving":
        facts.push({ ...base, ...b, kind: "received" });
        break;
      case "retail_selling":
        facts.push({ ...base, ...b, kind: "sold" });
        break;
      case "destroying":
        facts.push({ ...base, ...b, kind: "destroyed" });
        break;
      case "certificate":
        facts.push({
          ...base,
          ...b,
          kind: "certificate",
          passed: d.passed === true,
          validUntil: BigInt(String(d.validUntil)),
          reportHash: String(d.reportHash),
        });
        break;
      case "recall":
        facts.push({ ...base, ...b, kind: "recall", recallId: Number(d.recallId), reasonHash: String(d.reasonHash) });
        break;
      case "transforming": {
        if (d.operation === "split") {
          const lots = d.lotCodes as string[];
          const qs = d.quantities as string[];
          facts.push({
            ...base,
            ...b,
            kind: "split",
            children: lots.map((lotCode, i) => ({ lotCode, quantity: BigInt(qs[i]!) })),
          });
        } else {
          const inputs = (d.inputs as string[]).map(batchOf);
          if (d.operation === "merge") facts.push({ ...base, kind: "merged", inputs, output: b });
          else
            facts.push({
              ...base,
              kind: "transformed",
              inputs,
              output: b,
              ratioPpm: Number(d.ratioPpm),
              giCertificate: Number(d.giCertificate ?? 0),
            });
        }
        break;
      }
      case "shipment_cancelled":
      case "recall_acknowledged":
        break; // no EPCIS event: the ledger's own records
      default:
        facts.push({ ...base, ...b, kind: "observed", bizStep: st.kind });
    }
  }
  return facts;
}

export async function epcisExport(a: { batch: string; out: string; digitalLink: boolean }, hre: Hre) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    const h = await batchHistory(trace, trace.runner!.provider!, id);
    const doc = exportEpcis(factsOf(h), { identifiers: a.digitalLink ? "digital-link" : "urn" });
    const text = JSON.stringify(doc, null, 2) + "\n";
    if (a.out === "") {
      process.stdout.write(text);
      return;
    }
    await writeFile(a.out, text);
    console.log(
      `wrote ${(doc.epcisBody as { eventList: unknown[] }).eventList.length} EPCIS events of ${a.batch.trim()} to ${a.out}`,
    );
  });
}
