/**
 * The payment notices a village keeps (`relief disburse propose`, `relief disburse receipt`): one line
 * per beneficiary payment, with the receipt code to hand to the household. The file stays with the
 * village; only the code's hash is on chain (ReliefReceipts). A household checks its payment by typing
 * the code into the explorer's search box: no ID number, name or phone number is ever needed.
 */
import { appendFile, stat } from "node:fs/promises";

import { csvLine } from "../csv.js";
import { formatYuan } from "../money.js";

export interface PaymentNotice {
  readonly receiptCode: string;
  /** The programme's public code (or id). */
  readonly programme: string;
  readonly period: number;
  readonly amount: bigint;
  /** The proposing village or township, by name. */
  readonly village: string;
  /** How the village knows the household (a masked ID number, a household number, a key): stays in this file. */
  readonly beneficiary: string;
  readonly disbursementId: string;
  readonly txHash: string;
}

export const NOTICE_HEADER = [
  "receiptCode",
  "programme",
  "period",
  "amountYuan",
  "village",
  "beneficiary",
  "disbursementId",
  "txHash",
  "notice",
] as const;

/** The sentence printed for the household. */
export function noticeText(n: PaymentNotice): string {
  return (
    `扶贫资金支付通知：${n.programme} 第 ${n.period} 期 ¥${formatYuan(n.amount)}，由 ${n.village} 申请，审批后到账。` +
    `回执码 ${n.receiptCode}：在智信链浏览器的搜索框输入回执码即可查询金额、项目、期次和审批部门。查询无需也不要输入身份证号。`
  );
}

/** Appends notices to `path` (a new file gets a BOM and the header, for Excel). */
export async function appendPaymentNotices(path: string, notices: readonly PaymentNotice[]): Promise<void> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  const lines = notices.map((n) =>
    csvLine([
      n.receiptCode,
      n.programme,
      n.period,
      formatYuan(n.amount, { grouping: false }),
      n.village,
      n.beneficiary,
      n.disbursementId,
      n.txHash,
      noticeText(n),
    ]),
  );
  const head = exists ? "" : "\ufeff" + csvLine(NOTICE_HEADER) + "\r\n";
  await appendFile(path, head + lines.map((l) => l + "\r\n").join(""), "utf8");
}
