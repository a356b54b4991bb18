/**
 * The traceability vocabulary: GS1 Core Business Vocabulary (CBV 2.0) business steps and
 * dispositions, product categories, UN/CEFACT units, GLN location codes, and the ASCII codes
 * (product and lot) the ledger stores as bytes32. Codes here equal the contract's
 * (contracts/interfaces/ITraceLedger.sol, contracts/trace/TraceLedger.sol).
 */
import { AbiCoder, decodeBytes32String, encodeBytes32String, isHexString, keccak256 } from "ethers";

import { InvalidInputError } from "../errors.js";

/** CBV business steps by on-chain code. */
export const BIZ_STEPS = {
  commissioning: 1,
  inspecting: 2,
  packing: 3,
  unpacking: 4,
  shipping: 5,
  receiving: 6,
  storing: 7,
  retail_selling: 8,
  destroying: 9,
  transforming: 10,
  loading: 11,
  unloading: 12,
  holding: 13,
  sensor_reporting: 14,
  departing: 15,
  arriving: 16,
  sampling: 17,
  transporting: 18,
  stocking: 19,
  staging_outbound: 20,
  other: 21,
  // The rest of CBV 2.0's 41 steps (issue 19), recorded as observations.
  accepting: 22,
  assembling: 23,
  collecting: 24,
  consigning: 25,
  creating_class_instance: 26,
  cycle_counting: 27,
  decommissioning: 28,
  disassembling: 29,
  dispensing: 30,
  encoding: 31,
  entering_exiting: 32,
  installing: 33,
  killing: 34,
  picking: 35,
  removing: 36,
  repackaging: 37,
  repairing: 38,
  replacing: 39,
  reserving: 40,
  stock_taking: 41,
  void_shipping: 42,
} as const;
export type BizStep = keyof typeof BIZ_STEPS;

/**
 * Steps recorded with `recordEvent` (no change of custody or status); the contract's OBSERVATION_STEPS: every
 * step but those with a function of their own (commissioning, shipping, receiving, retail_selling, destroying,
 * transforming). The document's disposition is kept in the event (`Context.disposition`).
 */
export const OBSERVATION_STEPS: readonly BizStep[] = (Object.keys(BIZ_STEPS) as BizStep[]).filter(
  (s) => !["commissioning", "shipping", "receiving", "retail_selling", "destroying", "transforming"].includes(s),
);

export const BIZ_STEP_ZH: Readonly<Record<BizStep, string>> = {
  commissioning: "赋码/生产",
  inspecting: "检验",
  packing: "包装",
  unpacking: "拆包",
  shipping: "发货",
  receiving: "收货",
  storing: "仓储",
  retail_selling: "零售",
  destroying: "销毁",
  transforming: "加工",
  loading: "装车",
  unloading: "卸货",
  holding: "暂扣",
  sensor_reporting: "传感记录",
  departing: "离开",
  arriving: "到达",
  sampling: "抽样",
  transporting: "运输",
  stocking: "上架",
  staging_outbound: "待发",
  other: "其他",
  accepting: "验收",
  assembling: "组装",
  collecting: "收集",
  consigning: "托运",
  creating_class_instance: "实例赋码",
  cycle_counting: "循环盘点",
  decommissioning: "注销",
  disassembling: "拆解",
  dispensing: "分发",
  encoding: "编码",
  entering_exiting: "出入",
  installing: "安装",
  killing: "屠宰",
  picking: "拣货",
  removing: "移除",
  repackaging: "重新包装",
  repairing: "维修",
  replacing: "更换",
  reserving: "预留",
  stock_taking: "盘点",
  void_shipping: "取消发货",
};

/** English names of the business steps, as the explorer shows them. */
export const BIZ_STEP_EN: Readonly<Record<BizStep, string>> = {
  commissioning: "Commissioned",
  inspecting: "Inspected",
  packing: "Packed",
  unpacking: "Unpacked",
  shipping: "Shipped",
  receiving: "Received",
  storing: "Stored",
  retail_selling: "Sold",
  destroying: "Destroyed",
  transforming: "Transformed",
  loading: "Loaded",
  unloading: "Unloaded",
  holding: "Held",
  sensor_reporting: "Sensor report",
  departing: "Departed",
  arriving: "Arrived",
  sampling: "Sampled",
  transporting: "Transported",
  stocking: "Stocked",
  staging_outbound: "Staged outbound",
  other: "Other",
  accepting: "Accepted",
  assembling: "Assembled",
  collecting: "Collected",
  consigning: "Consigned",
  creating_class_instance: "Instance created",
  cycle_counting: "Cycle counted",
  decommissioning: "Decommissioned",
  disassembling: "Disassembled",
  dispensing: "Dispensed",
  encoding: "Encoded",
  entering_exiting: "Entered/exited",
  installing: "Installed",
  killing: "Killed",
  picking: "Picked",
  removing: "Removed",
  repackaging: "Repackaged",
  repairing: "Repaired",
  replacing: "Replaced",
  reserving: "Reserved",
  stock_taking: "Stock taken",
  void_shipping: "Shipment voided",
};

export function bizStepName(code: number | bigint): BizStep {
  const n = Number(code);
  const found = (Object.entries(BIZ_STEPS) as [BizStep, number][]).find(([, v]) => v === n);
  if (found === undefined) throw new InvalidInputError("bizStep", String(code), "is not a known business step code");
  return found[0];
}

/** A business step from its CBV name, URI (`urn:epcglobal:cbv:bizstep:packing`, `https://ref.gs1.org/cbv/BizStep-packing`) or code. */
export function parseBizStep(input: string): BizStep {
  const v = input.trim();
  const bare = v
    .replace(/^urn:epcglobal:cbv:bizstep:/, "")
    .replace(/^https?:\/\/ref\.gs1\.org\/cbv\/BizStep-/, "")
    .replace(/^bizstep:/i, "")
    .toLowerCase();
  if (bare in BIZ_STEPS) return bare as BizStep;
  if (/^\d+$/.test(bare)) return bizStepName(Number(bare));
  const zh = (Object.entries(BIZ_STEP_ZH) as [BizStep, string][]).find(([, name]) => name === v);
  if (zh !== undefined) return zh[0];
  throw new InvalidInputError("bizStep", input, `is not a CBV business step (${Object.keys(BIZ_STEPS).join(", ")})`);
}

/** ITraceLedger.Category. */
export const CATEGORIES = ["agricultural", "food", "drug", "agricultural_input", "special_equipment"] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_ZH: Readonly<Record<Category, string>> = {
  agricultural: "农产品",
  food: "食品",
  drug: "药品",
  agricultural_input: "农资",
  special_equipment: "特种设备",
};

export function parseCategory(input: string): number {
  const v = input.trim().toLowerCase().replace(/[-\s]/g, "_");
  let i = (CATEGORIES as readonly string[]).indexOf(v);
  if (i < 0) i = CATEGORIES.findIndex((c) => CATEGORY_ZH[c] === input.trim());
  if (i < 0) throw new InvalidInputError("category", input, `must be one of ${CATEGORIES.join(", ")}`);
  return i;
}

/** ITraceLedger.BatchStatus. */
export const BATCH_STATUSES = ["none", "active", "in_transit", "consumed", "retail_sold", "destroyed"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** The CBV disposition of a batch: its status, or `recalled` when its lineage is recalled. */
export function dispositionOf(status: number | bigint, recalled: boolean): string {
  if (recalled) return "recalled";
  const s = BATCH_STATUSES[Number(status)];
  if (s === "consumed") return "inactive";
  if (s === "retail_sold") return "retail_sold";
  if (s === "destroyed") return "destroyed";
  if (s === "in_transit") return "in_transit";
  return "active";
}

/**
 * CBV 2.0 dispositions by the code `Context.disposition` carries (0: none stated). The ledger keeps the
 * document's disposition in the event; the batch's own is `dispositionOf` its status.
 */
export const DISPOSITIONS = [
  "",
  "active",
  "available",
  "completeness_inferred",
  "completeness_verified",
  "conformant",
  "container_closed",
  "container_open",
  "damaged",
  "destroyed",
  "dispensed",
  "disposed",
  "encoded",
  "expired",
  "in_progress",
  "in_transit",
  "inactive",
  "mismatch_class",
  "mismatch_instance",
  "mismatch_quantity",
  "needs_replacement",
  "no_pedigree_match",
  "non_conformant",
  "non_sellable_other",
  "partially_dispensed",
  "recalled",
  "reserved",
  "retail_sold",
  "returned",
  "sellable_accessible",
  "sellable_not_accessible",
  "stolen",
  "unavailable",
  "unknown",
] as const;

/** CBV dispositions in Chinese (the explorer's words for `Context.disposition`); "" is "not stated". */
export const DISPOSITION_ZH: Readonly<Record<(typeof DISPOSITIONS)[number], string>> = {
  "": "未说明",
  active: "在用",
  available: "可用",
  completeness_inferred: "完整性推定",
  completeness_verified: "完整性已核",
  conformant: "合格",
  container_closed: "容器已封",
  container_open: "容器已开",
  damaged: "损坏",
  destroyed: "已销毁",
  dispensed: "已分发",
  disposed: "已处置",
  encoded: "已编码",
  expired: "已过期",
  in_progress: "处理中",
  in_transit: "在途",
  inactive: "未启用",
  mismatch_class: "品类不符",
  mismatch_instance: "单品不符",
  mismatch_quantity: "数量不符",
  needs_replacement: "需更换",
  no_pedigree_match: "来源记录不符",
  non_conformant: "不合格",
  non_sellable_other: "不可销售（其他）",
  partially_dispensed: "部分分发",
  recalled: "已召回",
  reserved: "已预留",
  retail_sold: "已零售",
  returned: "已退回",
  sellable_accessible: "可售（可取）",
  sellable_not_accessible: "可售（不可取）",
  stolen: "被盗",
  unavailable: "不可用",
  unknown: "未知",
};

/** A CBV disposition from its name or URI (`https://ref.gs1.org/cbv/Disp-active`) to its code; "" is 0. */
export function parseDisposition(input: string | undefined): number {
  if (input === undefined || input.trim() === "") return 0;
  const bare = input
    .trim()
    .replace(/^urn:epcglobal:cbv:disp:/, "")
    .replace(/^https?:\/\/ref\.gs1\.org\/cbv\/Disp-/, "")
    .replace(/^disp:/i, "")
    .toLowerCase();
  const i = (DISPOSITIONS as readonly string[]).indexOf(bare);
  if (i <= 0) throw new InvalidInputError("disposition", input, "is not a CBV disposition");
  return i;
}

/** CBV error reasons of an errorDeclaration, by the code `correctEvent` records (0: none stated). */
export const ERROR_REASONS = ["", "did_not_occur", "incorrect_data"] as const;

export function parseErrorReason(input: string | undefined): number {
  if (input === undefined || input.trim() === "") return 0;
  const bare = input
    .trim()
    .replace(/^urn:epcglobal:cbv:er:/, "")
    .replace(/^https?:\/\/ref\.gs1\.org\/cbv\/ER-/, "")
    .toLowerCase();
  const i = (ERROR_REASONS as readonly string[]).indexOf(bare);
  if (i <= 0) throw new InvalidInputError("reason", input, "must be did_not_occur or incorrect_data");
  return i;
}

/** ITraceLedger.CertResult and RecallAction. */
export const CERT_RESULTS = ["none", "passed", "failed"] as const;
export const RECALL_ACTIONS = ["none", "hold", "return", "destroy", "reached_consumer"] as const;

export function parseRecallAction(input: string): number {
  const v = input.trim().toLowerCase();
  const aliases: Record<string, number> = {
    hold: 1,
    封存: 1,
    return: 2,
    退回: 2,
    destroy: 3,
    销毁: 3,
    reached_consumer: 4,
    sold: 4,
    已售出: 4,
  };
  const n = aliases[v] ?? aliases[input.trim()];
  if (n === undefined) {
    throw new InvalidInputError("action", input, "must be hold, return, destroy or reached_consumer (sold)");
  }
  return n;
}

/**
 * Units: UN/CEFACT Recommendation 20 codes as EPCIS uses them (`uom`), with the common names the
 * CLI accepts. Quantities on chain are integers in thousandths of the unit.
 */
export const UNITS: Readonly<Record<string, { code: string; zh: string }>> = {
  kg: { code: "KGM", zh: "千克" },
  g: { code: "GRM", zh: "克" },
  t: { code: "TNE", zh: "吨" },
  l: { code: "LTR", zh: "升" },
  piece: { code: "H87", zh: "件" },
  box: { code: "XBX", zh: "盒" },
  bag: { code: "XBG", zh: "袋" },
  carton: { code: "XCT", zh: "箱" },
  bottle: { code: "XBO", zh: "瓶" },
};
export const QUANTITY_SCALE = 1000n;

/** A UN/CEFACT code (`KGM`) or a common name (`kg`, `千克`) to the 3-byte on-chain value. */
export function parseUnit(input: string): { code: string; hex: string } {
  const v = input.trim();
  const byName = UNITS[v.toLowerCase()] ?? Object.values(UNITS).find((u) => u.zh === v);
  const code = byName?.code ?? v.toUpperCase();
  if (!/^[A-Z0-9]{2,3}$/.test(code)) {
    throw new InvalidInputError(
      "unit",
      input,
      "must be a UN/CEFACT unit code (KGM, GRM, LTR, H87, XBX...) or kg, g, t, l, piece, box",
    );
  }
  return { code, hex: unitHex(code) };
}

export function unitHex(code: string): string {
  // Three bytes, the code's ASCII left-aligned and zero-padded (Buffer's "ascii" write, without Node).
  const bytes = Array.from({ length: 3 }, (_, i) => (i < code.length ? code.charCodeAt(i) & 0xff : 0));
  return `0x${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function unitCode(hex: string): string {
  // Buffer's "ascii" decoding: each byte with its high bit cleared.
  const bytes = hex.slice(2).match(/../g) ?? [];
  return String.fromCharCode(...bytes.map((b) => parseInt(b, 16) & 0x7f)).replace(/\0+$/, "");
}

export function unitLabel(code: string, zh = false): string {
  const entry = Object.entries(UNITS).find(([, u]) => u.code === code);
  if (entry === undefined) return code;
  return zh ? entry[1].zh : entry[0];
}

/** A decimal quantity ("12.5") in thousandths (12500n); at most three decimals, more than zero. */
export function parseQuantity(input: string, field = "quantity"): bigint {
  const v = input.trim();
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(v);
  if (m === null) throw new InvalidInputError(field, input, "must be a positive decimal with at most three decimals");
  const q = BigInt(m[1]!) * QUANTITY_SCALE + BigInt((m[2] ?? "").padEnd(3, "0"));
  if (q === 0n) throw new InvalidInputError(field, input, "must be more than zero");
  if (q >= 1n << 128n) throw new InvalidInputError(field, input, "is too large");
  return q;
}

/** Thousandths to a decimal string ("12.5"). */
export function formatQuantity(q: bigint): string {
  const whole = q / QUANTITY_SCALE;
  const frac = (q % QUANTITY_SCALE).toString().padStart(3, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}

/** A product or lot code: 1..31 printable ASCII characters without spaces, stored left-aligned in bytes32. */
export function encodeCode(field: string, input: string): string {
  const v = input.trim();
  if (!/^[\x21-\x7e]{1,31}$/.test(v)) {
    throw new InvalidInputError(field, input, "must be 1 to 31 printable ASCII characters without spaces");
  }
  return encodeBytes32String(v);
}

export function decodeCode(hex: string): string {
  try {
    return decodeBytes32String(hex);
  } catch {
    return hex;
  }
}

/** A batch id: keccak256(abi.encode(productCode, lotCode)), as `TraceLedger.batchId` (GTINs as GTIN-14). */
export function batchIdOf(productCode: string, lotCode: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "bytes32"],
      [parseProductCode(productCode), encodeCode("lot", lotCode)],
    ),
  );
}

/** `PRODUCT/LOT` (e.g. `06901234567892/XH-2026-001`) or a 0x batch id to the batch id. */
export function parseBatchRef(input: string): string {
  const v = input.trim();
  if (isHexString(v, 32)) return v.toLowerCase();
  const slash = v.indexOf("/");
  if (slash <= 0 || slash === v.length - 1) {
    throw new InvalidInputError(
      "batch",
      input,
      "must be PRODUCT/LOT (e.g. 06901234567892/XH-2026-001) or a 0x batch id",
    );
  }
  return batchIdOf(v.slice(0, slash), v.slice(slash + 1));
}

/** GS1 mod-10 check digit over the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a string of digits ends in a valid GS1 check digit (GTIN-8/12/13/14, GLN-13). */
export function validGs1(digits: string): boolean {
  if (!/^\d{8,14}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** A GLN-13 location (13 digits with check digit) to its on-chain number; "" or "0" for none. */
export function parseGln(input: string, field = "location"): bigint {
  const v = input.trim();
  if (v === "" || v === "0") return 0n;
  if (!/^\d{13}$/.test(v) || !validGs1(v)) {
    throw new InvalidInputError(field, input, "must be a GLN: 13 digits ending in a GS1 check digit");
  }
  return BigInt(v);
}

export function formatGln(n: bigint | number): string {
  const v = BigInt(n);
  return v === 0n ? "" : v.toString().padStart(13, "0");
}

/**
 * A product code: a GTIN (8, 12, 13 or 14 digits with a GS1 check digit), stored as its GTIN-14 so
 * that `6901234500028` and `06901234500028` (as EPCIS writes it) are one product; or another ASCII code.
 */
export function parseProductCode(input: string): string {
  const v = input.trim();
  if (/^\d+$/.test(v)) {
    if (![8, 12, 13, 14].includes(v.length) || !validGs1(v)) {
      throw new InvalidInputError("product", input, "looks like a GTIN but its length or check digit is wrong");
    }
    return encodeCode("product", v.padStart(14, "0"));
  }
  return encodeCode("product", v);
}
