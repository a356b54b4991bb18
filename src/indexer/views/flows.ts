/**
 * Flows of one charity project or one relief programme as rows people open in Excel: every hop of
 * money or goods (donations, grants, disbursements, goods lots and their hand-overs; appropriations,
 * allocations, project funding, payments and returns), read from the index alone, then the totals.
 * The API serves them as CSV (`/api/charity/projects/:id/flows.csv`, `/api/relief/programmes/:id/flows.csv`)
 * and the explorer's project and programme pages link them. Amounts become yuan only here, at the edge.
 * Beneficiaries are never listed: a household's payment shows its village, period and amount, not its key.
 */
import { decodeBytes32String, getAddress, getBytes, toUtf8String } from "ethers";

import { toCsv, type Cell } from "../../csv.js";
import { formatYuan } from "../../money.js";
import type { ArgValue } from "../api-types.js";

export type FlowLanguage = "zh" | "en";

/** What a row is. */
export type FlowKind =
  | "donation"
  | "grantIn"
  | "grantOut"
  | "disbursement"
  | "reversal"
  | "goodsLot"
  | "goodsDispatch"
  | "goodsReversal"
  | "appropriation"
  | "allocation"
  | "projectFunding"
  | "payment"
  | "projectPayment"
  | "return";

export interface FlowRow {
  readonly kind: FlowKind;
  /** Block time, seconds. */
  readonly time: number;
  readonly block: number;
  readonly from: string;
  readonly to: string;
  /** Money (fen), or a goods lot's valuation. */
  readonly amount?: bigint;
  readonly quantity?: bigint;
  readonly unit?: string;
  /** e.g. programme / administrative, a payment period. */
  readonly detail?: string;
  readonly status?: FlowStatus;
  /** The record's own id (donation, disbursement, lot, dispatch, allocation). */
  readonly id: string;
  readonly tx: string;
}

export type FlowStatus = "confirmed" | "pending" | "approved" | "proposed" | "rejected";

/** A flow table: its rows in chain order and the totals the page shows. */
export interface Flows {
  readonly title: string;
  readonly rows: readonly FlowRow[];
  /** Label → amount (fen), in the order printed. */
  readonly totals: readonly (readonly [TotalLabel, bigint])[];
}

export type TotalLabel =
  | "received"
  | "grantedIn"
  | "programme"
  | "administrative"
  | "grantedOut"
  | "reversed"
  | "balance"
  | "goodsValuation"
  | "appropriated"
  | "allocated"
  | "disbursed"
  | "returned"
  | "pending";

const WORDS: Readonly<Record<FlowLanguage, Readonly<Record<string, string>>>> = {
  zh: {
    kind: "类型",
    date: "日期（北京时间）",
    block: "区块",
    from: "来源",
    to: "去向",
    amount: "金额（元）",
    quantity: "数量",
    unit: "单位",
    detail: "说明",
    status: "状态",
    id: "记录编号",
    tx: "交易哈希",
    totals: "合计",
    donation: "捐赠",
    grantIn: "转入资助",
    grantOut: "转出资助",
    disbursement: "拨付",
    reversal: "冲正退款",
    goodsLot: "物资入库",
    goodsDispatch: "物资发放",
    goodsReversal: "物资冲正",
    appropriation: "预算下达",
    allocation: "资金下拨",
    projectFunding: "项目拨款",
    payment: "受益户补助",
    projectPayment: "项目付款",
    return: "资金退回",
    confirmed: "已确认",
    pending: "待确认",
    approved: "已审批",
    proposed: "待审批",
    rejected: "已驳回",
    received: "累计收到捐赠",
    grantedIn: "转入资助",
    programme: "项目支出",
    administrative: "管理费用",
    grantedOut: "转出资助",
    reversed: "冲正退款",
    balance: "结余",
    goodsValuation: "物资估值",
    appropriated: "预算总额",
    allocated: "下拨（各级合计）",
    disbursed: "已支付",
    returned: "退回",
    donors: "捐赠人（承诺值）",
    beneficiary: "受益户（不公开）",
    budget: "财政预算",
    period: "第 {n} 期",
    milestone: "第 {n} 个里程碑",
    remainder: "项目结余",
  },
  en: {
    kind: "kind",
    date: "date (UTC+8)",
    block: "block",
    from: "from",
    to: "to",
    amount: "amount (yuan)",
    quantity: "quantity",
    unit: "unit",
    detail: "detail",
    status: "status",
    id: "record id",
    tx: "transaction",
    totals: "totals",
    donation: "donation",
    grantIn: "grant in",
    grantOut: "grant out",
    disbursement: "disbursement",
    reversal: "reversal (refund)",
    goodsLot: "goods received",
    goodsDispatch: "goods dispatched",
    goodsReversal: "goods reversed",
    appropriation: "appropriation",
    allocation: "allocation",
    projectFunding: "project funding",
    payment: "household payment",
    projectPayment: "project payment",
    return: "return",
    confirmed: "confirmed",
    pending: "pending",
    approved: "approved",
    proposed: "awaiting approval",
    rejected: "rejected",
    received: "donations received",
    grantedIn: "granted in",
    programme: "programme spending",
    administrative: "administrative costs",
    grantedOut: "granted out",
    reversed: "reversed",
    balance: "balance",
    goodsValuation: "goods valuation",
    appropriated: "appropriated",
    allocated: "allocated (all hops)",
    disbursed: "paid",
    returned: "returned",
    donors: "donor (commitment)",
    beneficiary: "household (not public)",
    budget: "budget",
    period: "period {n}",
    milestone: "milestone {n}",
    remainder: "project remainder",
  },
};

/** A word of the flow tables in `lang`; `{n}` filled in. */
export function flowWord(lang: FlowLanguage, key: string, n?: number): string {
  const w = WORDS[lang][key] ?? key;
  return n === undefined ? w : w.replace("{n}", String(n));
}

/** `YYYY-MM-DD HH:mm` in China Standard Time. */
function cst(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 16).replace("T", " ");
}

/** The flows as CSV (BOM, CRLF): a header, one line per row, a blank line, then the totals. */
export function flowsCsv(flows: Flows, lang: FlowLanguage): string {
  const w = (k: string) => flowWord(lang, k);
  const rows: Cell[][] = [[flows.title]];
  rows.push(
    ["kind", "date", "block", "from", "to", "amount", "quantity", "unit", "detail", "status", "id", "tx"].map(w),
  );
  for (const r of flows.rows) {
    rows.push([
      w(r.kind),
      cst(r.time),
      r.block,
      r.from,
      r.to,
      r.amount === undefined ? "" : formatYuan(r.amount, { grouping: false }),
      r.quantity === undefined ? "" : r.quantity.toString(),
      r.unit ?? "",
      r.detail ?? "",
      r.status === undefined ? "" : w(r.status),
      r.id,
      r.tx,
    ]);
  }
  rows.push([]);
  rows.push([w("totals"), w("amount")]);
  for (const [label, fen] of flows.totals) rows.push([w(label), formatYuan(fen, { grouping: false })]);
  return toCsv(rows);
}

// ------------------------------------------------------------------ reading indexed arguments

/** An indexed event's arguments (bigints are decimal strings, tuples objects by field name). */
export type Args = Record<string, ArgValue>;

export function argText(a: Args, name: string): string {
  const v = a[name];
  return typeof v === "string" ? v : "";
}

export function argBig(a: Args, name: string): bigint {
  const v = a[name];
  return typeof v === "string" && v !== "" ? BigInt(v) : 0n;
}

/** A field of a tuple argument (stored as an object by name, or as an array in declaration order). */
export function tupleField(a: Args, tuple: string, field: string, index: number): string {
  const t = a[tuple];
  if (Array.isArray(t)) return typeof t[index] === "string" ? (t[index] as string) : "";
  if (t !== undefined && typeof t === "object") {
    const v = (t as Record<string, ArgValue>)[field];
    return typeof v === "string" ? v : "";
  }
  return "";
}

/** A `bytes32` short string (an item code), or the hex when it is not one. */
export function bytes32Text(hex: string): string {
  try {
    return decodeBytes32String(hex);
  } catch {
    return hex;
  }
}

/** A zero-padded UTF-8 `bytes16` (a unit such as 箱). */
export function bytes16Text(hex: string): string {
  try {
    const b = getBytes(hex);
    let end = b.length;
    while (end > 0 && b[end - 1] === 0) end--;
    return toUtf8String(b.slice(0, end));
  } catch {
    return hex;
  }
}

/** An organisation's name, or its checksummed address. */
export function namer(names: ReadonlyMap<string, string>): (address: string) => string {
  return (address) => {
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return address;
    const a = getAddress(address);
    return names.get(a) ?? a;
  };
}
