/**
 * The 新会陈皮 story `npm run demo` tells: the Xinhui tangerine-peel cooperative commissions three
 * harvest batches of fresh peel, a food lab certifies them, the market regulator issues the season's
 * geographic-indication certificate, the cooperative dries and ages the peel (a transformation
 * labelled GI), packs retail boxes (a split), ships boxes through a cold-chain company to a Taishan
 * supermarket, which sells one. Then the regulator recalls the dried lot: the recall reaches every
 * box, a sale is refused, the holders acknowledge, and QR codes for the boxes are written to a
 * folder. Every step goes through the same library the CLI uses.
 */
import { id } from "ethers";

import type { Signer } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { requireTrace, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { explain } from "../refusals.js";
import * as ledger from "../trace/ledger.js";
import * as names from "../names/ledger.js";
import { batchHistory, descendantsOf } from "../trace/history.js";
import { batchLink, writeQr, type QrFiles } from "../trace/qr.js";
import {
  CATEGORIES,
  encodeCode,
  formatQuantity,
  gs1CheckDigit,
  parseProductCode,
  parseUnit,
} from "../trace/vocabulary.js";

/** Sample accounts (deploy/organisations/jiangmen.json, deploy/parameters/dev.json). */
export const TRACE_ACCOUNTS = {
  regulator: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  cooperative: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  lab: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  logistics: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  supermarket: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
} as const;

/** A GS1 number from its body (the check digit appended). */
export const withCheckDigit = (body: string) => `${body}${gs1CheckDigit(body)}`;

/** Products: fresh peel (柑皮) and dried 新会陈皮 (geographic indication). GTIN-13 with a sample prefix. */
export const PRODUCTS = {
  freshPeel: withCheckDigit("690123450001"),
  chenpi: withCheckDigit("690123450002"),
} as const;

/** Places: orchards, the drying yard, the cold-chain warehouse and the supermarket (GLN-13). */
export const PLACES = {
  orchardA: BigInt(withCheckDigit("690123451001")),
  orchardB: BigInt(withCheckDigit("690123451002")),
  orchardC: BigInt(withCheckDigit("690123451003")),
  dryingYard: BigInt(withCheckDigit("690123451010")),
  warehouse: BigInt(withCheckDigit("690123452001")),
  supermarket: BigInt(withCheckDigit("690123453001")),
} as const;

/** The public names of the products (named by their producer) and places (each by the organisation there). */
export const PRODUCT_NAMES = { freshPeel: "新会茶枝柑鲜果皮", chenpi: "新会陈皮" } as const;
export const PLACE_NAMES: Readonly<Record<keyof typeof PLACES, string>> = {
  orchardA: "新会区天马村果园",
  orchardB: "新会区东甲村果园",
  orchardC: "新会区梅江村果园",
  dryingYard: "新会区陈皮合作社晒场",
  warehouse: "江门冷链物流中心仓库",
  supermarket: "台山市台城超市",
};
/** Who names each place: the organisation that acts there. */
const PLACE_OWNERS: Readonly<Record<keyof typeof PLACES, keyof typeof TRACE_ACCOUNTS>> = {
  orchardA: "cooperative",
  orchardB: "cooperative",
  orchardC: "cooperative",
  dryingYard: "cooperative",
  warehouse: "logistics",
  supermarket: "supermarket",
};

export interface ChenpiStory {
  readonly driedLot: string;
  readonly boxes: readonly string[];
  readonly soldBox: string;
  readonly recallId: bigint;
  readonly qr: readonly QrFiles[];
  readonly lines: readonly string[];
}

const kg = (n: number) => BigInt(Math.round(n * 1000));

export async function runChenpiStory(
  d: Deployment,
  signerFor: (account: string) => Promise<Signer>,
  o: LegacyOverrides,
  qrDir: string,
  explorerUrl: string,
  log: (line: string) => void = console.log,
): Promise<ChenpiStory> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  const trace = requireTrace(d);
  const provider = trace.runner?.provider;
  if (provider === null || provider === undefined) throw new LedgerError("the deployment has no provider");
  const now = async () => BigInt((await provider.getBlock("latest"))!.timestamp);
  const at = async (location: bigint, evidence: string) => ledger.context(location, id(evidence), await now());

  const regulator = await signerFor(TRACE_ACCOUNTS.regulator);
  const coop = await signerFor(TRACE_ACCOUNTS.cooperative);
  const lab = await signerFor(TRACE_ACCOUNTS.lab);
  const logistics = await signerFor(TRACE_ACCOUNTS.logistics);
  const market = await signerFor(TRACE_ACCOUNTS.supermarket);
  const KGM = parseUnit("kg").hex;
  const code = (c: string) => encodeCode("code", c);

  // Products.
  await ledger.registerProduct(
    d,
    coop,
    {
      productCode: parseProductCode(PRODUCTS.freshPeel),
      category: CATEGORIES.indexOf("agricultural"),
      producer: TRACE_ACCOUNTS.cooperative,
      geographicIndication: true,
      metadataHash: id("新会茶枝柑鲜果皮 产品说明"),
    },
    o,
  );
  await ledger.registerProduct(
    d,
    regulator,
    {
      productCode: parseProductCode(PRODUCTS.chenpi),
      category: CATEGORIES.indexOf("food"),
      producer: TRACE_ACCOUNTS.cooperative,
      geographicIndication: true,
      metadataHash: id("新会陈皮 地理标志产品 GB/T 22446 产品说明"),
    },
    o,
  );
  for (const key of ["freshPeel", "chenpi"] as const)
    await names.nameProduct(d, coop, parseProductCode(PRODUCTS[key]), PRODUCT_NAMES[key], o);
  const owners = { cooperative: coop, logistics, supermarket: market, regulator, lab };
  for (const place of Object.keys(PLACES) as (keyof typeof PLACES)[])
    await names.nameLocation(d, owners[PLACE_OWNERS[place]], PLACES[place], PLACE_NAMES[place], o);
  say(
    `新会区陈皮专业合作社 registered fresh peel ${PRODUCTS.freshPeel}; 市场监管局 registered 新会陈皮 ${PRODUCTS.chenpi} (GI, food); the producer named both, and each organisation its places`,
  );

  // The season's GI certificate for the harvest (issue 19: the GI label starts at a certified harvest, and
  // passes to dried peel only through the drying, backed by this labelled input).
  const peelGi = await ledger.issueGiCertificate(
    d,
    regulator,
    {
      producer: TRACE_ACCOUNTS.cooperative,
      productCode: parseProductCode(PRODUCTS.freshPeel),
      uom: KGM,
      ceiling: kg(1500),
      validUntil: (await now()) + 365n * 86_400n,
      documentHash: id("新会茶枝柑 地理标志 2026 年度采收许可"),
    },
    o,
  );
  // Three harvest batches from three orchards, labelled under the season's certificate.
  const harvests: string[] = [];
  const sizes = [400, 350, 450];
  const orchards = [PLACES.orchardA, PLACES.orchardB, PLACES.orchardC];
  for (let i = 0; i < 3; i++) {
    const lot = `XH-2026-H0${i + 1}`;
    const w = await ledger.commissionBatch(
      d,
      coop,
      {
        productCode: parseProductCode(PRODUCTS.freshPeel),
        lotCode: code(lot),
        quantity: kg(sizes[i]!),
        uom: KGM,
        giCertificate: Number(peelGi.value),
      },
      await at(orchards[i]!, `采收记录 ${lot}`),
      o,
    );
    harvests.push(w.value);
  }
  say(
    `harvest: 3 batches of fresh peel commissioned at three orchards (${sizes.join(" + ")} kg), GI certificate ${peelGi.value}`,
  );

  // The lab certifies each harvest batch (pesticide residues).
  const validUntil = (await now()) + 2n * 365n * 86_400n;
  for (const [i, h] of harvests.entries()) {
    await ledger.certify(d, lab, h, { passed: true, validUntil, reportHash: id(`农残检测报告 JMFI-2026-${i + 1}`) }, o);
  }
  say("江门市食品检验所 certified the three harvest batches (pesticide residues: pass, valid two years)");

  // The season's GI certificate: at most 300 kg of dried 新会陈皮 for this cooperative.
  const gi = await ledger.issueGiCertificate(
    d,
    regulator,
    {
      producer: TRACE_ACCOUNTS.cooperative,
      productCode: parseProductCode(PRODUCTS.chenpi),
      uom: KGM,
      ceiling: kg(300),
      validUntil: (await now()) + 365n * 86_400n,
      documentHash: id("新会陈皮地理标志使用许可 2026 年度"),
    },
    o,
  );
  say(`市场监管局 issued GI certificate ${gi.value}: at most 300 kg of 新会陈皮 this season`);

  // Drying and ageing: 1,200 kg of fresh peel give 240 kg of dried peel (ratio 0.2), labelled GI.
  const dried = await ledger.transform(
    d,
    coop,
    harvests,
    {
      outputProduct: parseProductCode(PRODUCTS.chenpi),
      outputLot: code("XHCP-2026-D01"),
      outputUom: KGM,
      ratioPpm: 200_000,
      giCertificate: gi.value,
    },
    await at(PLACES.dryingYard, "晒制记录 XHCP-2026-D01: 1200 kg 鲜皮 → 240 kg 干皮"),
    o,
  );
  await ledger.recordEvent(
    d,
    coop,
    dried.value,
    "storing",
    await at(PLACES.dryingYard, "陈化仓储记录 XHCP-2026-D01"),
    o,
  );
  // A pass covers the batch inspected, not a product made from it: the dried peel (food) is inspected itself.
  await ledger.certify(
    d,
    lab,
    dried.value,
    { passed: true, validUntil, reportHash: id("陈皮检验报告 JMFI-2026-D01") },
    o,
  );
  say("江门市食品检验所 certified the dried lot XHCP-2026-D01 (a new product needs its own pass)");
  const driedBatch = await ledger.requireBatch(d, dried.value);
  say(
    `drying: 1,200 kg fresh peel became ${formatQuantity(driedBatch.quantity)} kg of 新会陈皮 (ratio 0.2, GI labelled), stored to age`,
  );

  // Packing: ten 0.5 kg retail boxes, the rest stays in bulk.
  const boxLots = Array.from({ length: 10 }, (_, i) => `XHCP-2026-B${String(i + 1).padStart(3, "0")}`);
  const parts = [
    ...boxLots.map((lot) => ({ lotCode: code(lot), quantity: kg(0.5) })),
    { lotCode: code("XHCP-2026-BULK"), quantity: driedBatch.quantity - kg(5) },
  ];
  const split = await ledger.split(d, coop, dried.value, parts, await at(PLACES.dryingYard, "包装记录 XHCP-2026"), o);
  const boxes = split.value.slice(0, 10);
  say(`packing: split into 10 retail boxes of 0.5 kg and ${formatQuantity(driedBatch.quantity - kg(5))} kg in bulk`);

  // Four boxes go to the supermarket through the cold chain, each hand-over accepted by the receiver.
  const shipped = boxes.slice(0, 4);
  for (const box of shipped) {
    await ledger.ship(
      d,
      coop,
      box,
      TRACE_ACCOUNTS.logistics,
      await at(PLACES.dryingYard, `发货单 ${box.slice(0, 10)}`),
      o,
    );
    await ledger.accept(d, logistics, box, await at(PLACES.warehouse, `收货单 ${box.slice(0, 10)}`), o);
    await ledger.ship(
      d,
      logistics,
      box,
      TRACE_ACCOUNTS.supermarket,
      await at(PLACES.warehouse, `运单 ${box.slice(0, 10)}`),
      o,
    );
    await ledger.accept(d, market, box, await at(PLACES.supermarket, `验收单 ${box.slice(0, 10)}`), o);
  }
  say("shipping: 4 boxes went cooperative → 顺达冷链 → 惠民超市, each hand-over accepted by the receiver");

  const soldBox = shipped[0]!;
  await ledger.sell(d, market, soldBox, await at(PLACES.supermarket, "销售小票 0001"), o);
  say("retail: 惠民超市 sold one box (valid certificate of its dried lot, inherited through the packing split)");

  // The recall.
  const recall = await ledger.recall(
    d,
    regulator,
    dried.value,
    id("召回通知 粤江市监〔2026〕召字 3 号: 二氧化硫残留超标"),
    o,
  );
  const reach = await descendantsOf(trace, provider, dried.value);
  say(`recall ${recall.value}: 市场监管局 recalled lot XHCP-2026-D01; it reaches ${reach.length} batches made from it`);
  try {
    await ledger.sell(d, market, shipped[1]!, await at(PLACES.supermarket, "销售小票 0002"), o);
    throw new LedgerError("the recalled box was sold: the recall did not reach it");
  } catch (e) {
    if (e instanceof LedgerError && e.message.includes("did not reach")) throw e;
    say(`a sale of a recalled box is refused: ${explain(e).message}`);
  }
  for (const box of shipped.slice(1)) {
    await ledger.acknowledgeRecall(
      d,
      market,
      {
        recallId: recall.value,
        batchId: box,
        action: 3,
        quantity: kg(0.5),
        evidenceHash: id(`销毁记录 ${box.slice(0, 10)}`),
      },
      o,
    );
  }
  for (const box of [...boxes.slice(4), split.value[10]!]) {
    const b = await ledger.requireBatch(d, box);
    await ledger.acknowledgeRecall(
      d,
      coop,
      {
        recallId: recall.value,
        batchId: box,
        action: 1,
        quantity: b.quantity,
        evidenceHash: id(`封存记录 ${box.slice(0, 10)}`),
      },
      o,
    );
  }
  // The box sold before the recall reached the consumer: the supermarket accounts for it (issue 19).
  await ledger.acknowledgeRecall(
    d,
    market,
    {
      recallId: recall.value,
      batchId: soldBox,
      action: 4,
      quantity: kg(0.5),
      evidenceHash: id("销售记录 0001: 已售出 1 盒"),
    },
    o,
  );
  const r = await trace.recallInfo(recall.value);
  say(
    `recall ${recall.value}: ${formatQuantity(r.accounted)} of ${formatQuantity(r.affected)} kg accounted for (${r.acknowledgements} acknowledgements, the sold box as reached the consumer)`,
  );

  const history = await batchHistory(trace, provider, shipped[1]!);
  say(
    `history of box ${boxLots[1]}: ${history.lineage.length} batches in its lineage, ${history.steps.length} events back to the orchards`,
  );

  const qr: QrFiles[] = [];
  for (const [i, box] of boxes.entries()) {
    const link = batchLink(explorerUrl, { batchId: box, productCode: PRODUCTS.chenpi, lotCode: boxLots[i]! });
    qr.push(await writeQr(qrDir, boxLots[i]!, link));
  }
  say(`QR codes for the 10 boxes written to ${qrDir}`);

  return { driedLot: dried.value, boxes, soldBox, recallId: recall.value, qr, lines };
}
