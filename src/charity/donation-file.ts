/**
 * Reads a charity's donation list: a CSV (UTF-8) or XLSX file, one donation per row, headers in
 * English or Chinese. File-level problems (unreadable, wrong encoding, missing column) throw a
 * {@link LedgerError}; row-level problems are collected as {@link RowError}s with the line number
 * the user sees in the file, so one pass tells them everything to fix.
 */
import { InvalidInputError, LedgerError } from "../errors.js";
import { MAX_FEN, formatYuan, parseYuan } from "../money.js";
import { channelOf } from "./vocabulary.js";
import {
  INEXACT,
  type RawSheet,
  type RowError,
  clean,
  headerScore,
  locateColumns,
  readDataRows,
  readTable,
} from "../table-file.js";

/** Files larger than this are refused (split them). */
export const MAX_DONATION_FILE_BYTES = 50 * 1024 * 1024;

/** One valid donation row. */
export interface DonationRow {
  /** Line in the file as the user sees it (1-based, the header included). */
  readonly line: number;
  /** The worksheet the row is on, named when the workbook has more than one. */
  readonly sheet?: string;
  /** External reference: bank transaction id, receipt number. */
  readonly ref: string;
  /** The project's code as written in the file. */
  readonly project: string;
  readonly amountFen: bigint;
  /** YYYY-MM-DD. */
  readonly date?: string;
  /** The donor's name: stays on this machine (only a salted commitment goes on chain). */
  readonly donor?: string;
  /** `ICharityLedger.Channel` value. */
  readonly channel: number;
  /** Absolute path of the evidence file. */
  readonly evidencePath?: string;
}

type Field =
  "ref" | "project" | "amount" | "date" | "donor" | "channel" | "evidence" | "status" | "direction" | "debit";

/**
 * Header names of each field, as the platforms' and banks' exports and clerks write them, compared
 * in lower case without spaces or a bracketed part. When several columns name one field, the one
 * whose name comes first here is read (微信订单号 before 商户订单号, 交易日期 before 交易时间).
 */
const HEADER_ALIASES: Record<Field, readonly string[]> = {
  ref: [
    "ref",
    "reference",
    "流水号",
    "收据号",
    "订单号",
    "捐赠订单号",
    "捐款订单号",
    "交易单号",
    "交易流水号",
    "微信订单号",
    "支付宝交易号",
    "账务流水号",
    "银行流水号",
    "交易号",
    "orderid",
    "orderno",
    "transactionid",
    "serialno",
    "商户订单号",
    "业务流水号",
    "商户单号",
  ],
  project: ["project", "项目", "项目编号", "项目代码", "projectcode"],
  amount: [
    "amount",
    "金额",
    "捐赠金额",
    "捐款金额",
    "订单金额",
    "收入金额",
    "贷方发生额",
    "贷方金额",
    "入账金额",
    "收入",
    "credit",
  ],
  date: [
    "date",
    "日期",
    "捐赠日期",
    "捐款日期",
    "捐赠时间",
    "捐款时间",
    "交易日期",
    "入账日期",
    "记账日期",
    "交易时间",
    "支付时间",
    "发生时间",
    "入账时间",
  ],
  donor: [
    "donor",
    "捐赠人",
    "捐款人",
    "捐赠人姓名",
    "捐赠人昵称",
    "捐赠单位",
    "捐赠方",
    "捐赠者",
    "对方户名",
    "付款人",
    "付款方",
    "付款人名称",
    "交易对方",
  ],
  channel: ["channel", "渠道", "支付方式", "收款方式", "支付渠道", "付款方式", "交易渠道"],
  evidence: ["evidence", "凭证"],
  status: ["status", "状态", "交易状态", "当前状态", "支付状态", "订单状态", "捐赠状态"],
  direction: ["收/支", "收支", "收支类型", "借贷", "借贷标志", "收支方向", "direction"],
  debit: ["debit", "借方发生额", "借方金额", "支出金额", "出账金额"],
};
const REQUIRED: readonly Field[] = ["ref", "project", "amount"];

/**
 * The unit an amount header gives in brackets: `金额（万元）` ×10,000, `金额（元）` / `(yuan)` / `（+元）`
 * ×1, a bracket naming no unit (`贷方发生额（收入）`) ×1, any other unit (`千元`, `美元`, `USD`) not converted.
 */
export function headerUnit(text: string): { scale: bigint } | { unit: string } {
  const brackets = [...text.normalize("NFKC").matchAll(/[(\[【]([^)\]】]*)[)\]】]/g)].map((m) => m[1]!.trim());
  let scale = 1n;
  for (const b of brackets) {
    const u = b.replace(/^[+\-\s]+/, "").toLowerCase();
    if (["万元", "万", "人民币万元"].includes(u)) scale = 10_000n;
    else if (["元", "yuan", "rmb", "cny", "¥", "人民币", "人民币元", "元人民币"].includes(u)) continue;
    else if (/元|万|千|百|亿|角|分|\$|usd|hkd|eur|美|港|欧|日元|英镑|k$/.test(u)) return { unit: b };
  }
  return { scale };
}

/**
 * `2026-07-01`, `2026/7/1`, `2026.7.1`, `2026年7月1日`, `20260701`, optionally followed by a time,
 * or an Excel serial date (a whole number from 20000 to 80000: 1954 to 2119), as YYYY-MM-DD.
 */
export function parseDate(text: string): string | undefined {
  const t = text.normalize("NFKC").trim().replace(/^`/, "").trim();
  const serial = /^([0-9]{5})(?:\.[0-9]+)?$/.exec(t);
  if (serial !== null) {
    const n = Number(serial[1]);
    if (n < 20_000 || n > 80_000) return undefined;
    return new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10);
  }
  const m =
    /^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?(?:(?:[T\s]).*)?$/.exec(t) ??
    /^([0-9]{4})([0-9]{2})([0-9]{2})(?:(?:[T\s]).*)?$/.exec(t);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Why a date cell is not a date: a pointed reason for `7月12日` (no year), else the forms accepted. */
function dateProblem(text: string): string {
  if (/^[0-9]{1,2}\s*[月/.-]\s*[0-9]{1,2}\s*日?$/.test(text.normalize("NFKC").trim())) {
    return "no year: write 2026年7月12日 or 2026-07-12";
  }
  return "not a date (write 2026-07-01, 2026/7/1, 2026年7月1日 or 20260701)";
}

/** What a donation file is read with: values the file does not give, and which sheet to read. */
export interface ReadDonationOptions {
  /** The project code of rows without one (and of every row when the file has no project column). */
  readonly project?: string;
  /** The channel of every row (bank, 微信, …): the file's channel column, if any, is not read. */
  readonly channel?: string;
  /** The worksheet to read (its name), or `all` for every sheet that looks like a donation list. */
  readonly sheet?: string;
}

/**
 * Reads a donation file (CSV or XLSX, decided by content) into valid rows and row errors.
 * Throws a {@link LedgerError} when the file as a whole cannot be used: every missing column and
 * every unit it cannot convert in one message, or several sheets of donations and no `sheet`.
 */
export async function readDonationFile(
  path: string,
  opts: ReadDonationOptions = {},
): Promise<{ rows: DonationRow[]; errors: RowError[]; columns: string[] }> {
  let channel: number | undefined;
  if (opts.channel !== undefined && opts.channel.trim() !== "") {
    channel = channelOfCell(opts.channel);
    if (channel === undefined) throw new InvalidInputError("--channel", opts.channel, CHANNEL_HINT);
  }
  const project = opts.project?.trim() ?? "";
  const required = REQUIRED.filter((f) => !(f === "project" && project !== ""));
  const firstLineOfRef = new Map<string, string>();
  return await readTable(
    path,
    {
      maxBytes: MAX_DONATION_FILE_BYTES,
      what: "donation",
      listName: "donation list",
      aliases: HEADER_ALIASES,
      required,
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
    },
    (sheet) => validateRows(path, sheet, required, { project, channel }, firstLineOfRef),
  );
}

const CHANNEL_HINT =
  "unknown channel: use bank/银行/转账/公对公转账/POS刷卡, alipay/支付宝, wechat/微信, cash/现金 or other/其他 (扫码, QQ钱包, 配捐)";

/** Channels as clerks and exports write them, besides `channelOf`'s names. */
const MORE_CHANNELS: Readonly<Record<string, number>> = {
  公对公转账: 0,
  对公转账: 0,
  网银: 0,
  网银转账: 0,
  银行汇款: 0,
  汇款: 0,
  跨行转账: 0,
  pos: 0,
  pos刷卡: 0,
  刷卡: 0,
  财付通: 2,
  微信转账: 2,
  微信扫码: 2,
  支付宝扫码: 1,
  支付宝转账: 1,
  扫码: 4,
  qq钱包: 4,
  配捐: 4,
  "/": 4,
};

function channelOfCell(text: string): number | undefined {
  const key = text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  return channelOf(key) ?? MORE_CHANNELS[key];
}

/** A row's status or 收/支 that is a completed payment received. */
const PAID = new Set([
  "已支付",
  "支付成功",
  "成功",
  "success",
  "已收钱",
  "已到账",
  "已完成",
  "完成",
  "交易成功",
  "已入账",
  "已收款",
  "收款成功",
  "已捐赠",
  "捐赠成功",
  "paid",
]);
const REFUNDED = /退|refund|撤销|冲正|撤回|关闭|失败|未支付|待支付|closed|revoked|fail|cancel/i;
const TOTAL = /合计|小计|总计|共计/;

/** Parses Chinese capital numerals (`壹万元整`, `贰仟叁佰元伍角`) into fen, or undefined. */
function parseCapital(text: string): bigint | undefined {
  const digits: Record<string, bigint> = {
    零: 0n,
    〇: 0n,
    壹: 1n,
    一: 1n,
    贰: 2n,
    貳: 2n,
    二: 2n,
    两: 2n,
    叁: 3n,
    參: 3n,
    三: 3n,
    肆: 4n,
    四: 4n,
    伍: 5n,
    五: 5n,
    陆: 6n,
    陸: 6n,
    六: 6n,
    柒: 7n,
    七: 7n,
    捌: 8n,
    八: 8n,
    玖: 9n,
    九: 9n,
  };
  const small: Record<string, bigint> = { 拾: 10n, 十: 10n, 佰: 100n, 百: 100n, 仟: 1000n, 千: 1000n };
  let total = 0n;
  let section = 0n;
  let number = 0n;
  let yuan: bigint | undefined;
  let jiao = 0n;
  let fen = 0n;
  for (const ch of text) {
    if (ch in digits) number = digits[ch]!;
    else if (ch in small) {
      section += (number === 0n ? 1n : number) * small[ch]!;
      number = 0n;
    } else if (ch === "万" || ch === "萬") {
      total += (section + number) * 10_000n;
      section = number = 0n;
    } else if (ch === "亿" || ch === "億") {
      total = (total + section + number) * 100_000_000n;
      section = number = 0n;
    } else if (ch === "元" || ch === "圆" || ch === "圓") {
      yuan = total + section + number;
      total = section = number = 0n;
    } else if (ch === "角") {
      jiao = number;
      number = 0n;
    } else if (ch === "分") {
      fen = number;
      number = 0n;
    } else if (ch !== "整" && ch !== "正") return undefined;
  }
  return (yuan ?? total + section + number) * 100n + jiao * 10n + fen;
}

/**
 * An amount cell in fen: yuan as {@link parseYuan} reads them, `5万` / `5万元` (×10,000), a column
 * in 万元 (`scale`), Chinese capitals (`壹万元整`). A spreadsheet formula's value is taken only when
 * it is exact to the fen; any other value with more precision than a fen is refused.
 */
function parseAmountCell(text: string, scale: bigint, formula: boolean): bigint {
  const fail = (problem: string): never => {
    throw new InvalidInputError("amount", text, problem);
  };
  let s = text.normalize("NFKC").trim().replace(/^`/, "").trim();
  if (s === "") fail("is empty");
  if (
    /^[零〇壹一贰貳二两叁參三肆四伍五陆陸六柒七捌八玖九拾十佰百仟千万萬亿億元圆圓角分整正]+$/.test(s) &&
    /[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]/.test(s)
  ) {
    const fen = parseCapital(s);
    if (fen === undefined || fen === 0n) fail("not an amount in Chinese capitals (write 壹万元整 or 10000)");
    return fen!;
  }
  if (/^-|^¥\s*-|^\(.*\)$/.test(s)) fail("negative: a refund or an outgoing payment, not a donation");
  s = s
    .replace(/^(?:¥|人民币|rmb|cny)\s*/i, "")
    .replace(/元$/, "")
    .trim();
  let cellScale = scale;
  if (/万$/.test(s)) {
    if (scale !== 1n) fail("written in 万 under a header in 万元: write the figure only");
    cellScale = 10_000n;
    s = s.slice(0, -1).trim();
  }
  if (cellScale === 1n && !formula) return parseYuan(s);
  const m = /^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?$/.exec(s);
  if (m === null) return parseYuan(s); // its message says what is wrong
  const decimals = m[2] ?? "";
  const scaled = BigInt(m[1]!.replaceAll(",", "") + decimals) * cellScale * 100n;
  const divisor = 10n ** BigInt(decimals.length);
  if (scaled % divisor !== 0n) {
    const exact = `${(scaled / divisor / 100n).toString()}.${(((scaled * 1000n) / divisor) % 100_000n).toString().padStart(5, "0")}…`;
    fail(
      formula
        ? `a formula's value, ${exact} yuan, is not exact to the fen: round it in the sheet (=ROUND(…, 2))` +
            (cellScale !== 1n ? " after the ×10,000 of 万元" : "")
        : `more precise than a fen once ×10,000 (${exact} yuan)`,
    );
  }
  const fen = scaled / divisor;
  if (fen > MAX_FEN) fail(`too large: at most ${formatYuan(MAX_FEN)} yuan`);
  return fen;
}

async function validateRows(
  path: string,
  sheet: RawSheet,
  required: readonly Field[],
  given: { project: string; channel: number | undefined },
  firstLineOfRef: Map<string, string>,
): Promise<{ rows: DonationRow[]; errors: RowError[]; columns: string }> {
  const raw = sheet.rows;
  const where = sheet.name !== undefined ? `${path} sheet ${JSON.stringify(sheet.name)}` : path;
  const { headerIndex, columns, headers } = locateColumns(where, raw, HEADER_ALIASES, required, {
    project: ", or give the project's code with --project",
  });
  const unit = headerUnit(headers.get("amount") ?? "");
  if ("unit" in unit) {
    throw new LedgerError(
      `${where}: the amount column ${JSON.stringify(headers.get("amount"))} is in the unit "${unit.unit}", which is not converted: ` +
        `give the amounts in 元 (or 万元) and name the unit in the header, e.g. 金额（元）`,
    );
  }
  const sheetName = sheet.name !== undefined ? { sheet: sheet.name } : {};
  // Which header gave each field, and which headers were not read: nothing is dropped without a word.
  const readHeaders = new Set(headers.values());
  const notRead = [
    ...new Set(
      raw
        .slice(0, headerIndex + 1)
        .slice(-2)
        .filter((r) => headerScore(r, HEADER_ALIASES) > 0)
        .flatMap((r) => r.cells.map(clean))
        .filter((c) => c !== "" && !readHeaders.has(c)),
    ),
  ];
  const columnsRead =
    `${sheet.name !== undefined ? `sheet ${JSON.stringify(sheet.name)}: ` : ""}columns read: ` +
    [...headers].map(([f, h]) => `${f} ← ${JSON.stringify(h)}`).join(", ") +
    (given.project !== "" && !headers.has("project") ? `, project ← --project ${given.project}` : "") +
    (given.channel !== undefined ? `, channel ← --channel` : "") +
    `; not read: ${notRead.length > 0 ? notRead.map((h) => JSON.stringify(h)).join(", ") : "none"}`;
  let sinceTotal = 0n;
  const { rows, errors } = await readDataRows<Field, DonationRow>(
    path,
    sheet,
    headerIndex,
    columns,
    async (reader) => {
      const { row: r, here, cell, fail, evidence } = reader;

      const totalCell = r.cells.map(clean).find((c) => TOTAL.test(c.replace(/\s+/g, "")));
      if (totalCell !== undefined) {
        let says = "";
        try {
          says = `, this row says ${formatYuan(parseAmountCell(cell("amount"), unit.scale, false), { symbol: true })}`;
        } catch {
          // a total row's amount that does not parse says nothing more
        }
        fail(
          "total",
          totalCell,
          `a total row, not a donation: delete it (the rows accepted above it add up to ${formatYuan(sinceTotal, { symbol: true })}${says})`,
        );
        sinceTotal = 0n;
      } else if (r.struck === true) {
        fail(
          "row",
          "struck through",
          "a struck-through row (a cancelled or returned entry?): delete it, or remove the strikethrough if it stands",
        );
      } else if (r.hidden === true) {
        fail(
          "row",
          "hidden",
          "a hidden row (Excel hides it, the importer does not): delete it, or unhide it if it stands",
        );
      }
      if (reader.failed) return undefined;
      for (const [field, i] of columns) if (r.inexact?.has(i) === true) fail(field, cell(field), INEXACT);

      const direction = cell("direction");
      if (direction !== "") {
        const d = direction.normalize("NFKC").toLowerCase();
        if (/^(支出|支|借|出|expense|debit|out)$/.test(d)) {
          fail("direction", direction, "an outgoing payment (支出), not a donation: delete the row");
        } else if (!/^(收入|收|贷|入|income|credit|in)$/.test(d)) {
          fail("direction", direction, "neither 收入 nor 支出: not a donation received; delete the row");
        }
      }
      const status = cell("status");
      if (status !== "") {
        const st = status.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
        if (REFUNDED.test(st)) {
          fail("status", status, "a refunded or cancelled payment, not a donation: delete the row");
        } else if (!PAID.has(st)) {
          fail("status", status, `not a completed payment (${[...PAID].slice(0, 6).join(", ")}, …): delete the row`);
        }
      }
      const debit = cell("debit");
      const isDebit = debit !== "" && !/^[¥\s0.,-]*$/.test(debit.normalize("NFKC"));
      if (isDebit) fail("debit", debit, "an outgoing payment (a debit / 支出), not a donation: delete the row");

      const ref = cell("ref");
      if (ref === "") fail("ref", ref, "is empty");
      else {
        const first = firstLineOfRef.get(ref);
        if (first !== undefined) fail("ref", ref, `duplicate: the same ref is on ${first}`);
        else firstLineOfRef.set(ref, here);
        if (/^[0-9.]+e\+?[0-9]+$/i.test(ref)) {
          fail(
            "ref",
            ref,
            "a number Excel shortened to scientific notation: format the column as text and type it again",
          );
        }
      }

      const project = cell("project") || given.project;
      if (project === "") fail("project", project, "is empty");

      const amountText = cell("amount");
      let amountFen = 0n;
      if (!isDebit) {
        try {
          const i = columns.get("amount")!;
          amountFen = parseAmountCell(amountText, unit.scale, r.formula?.has(i) === true);
          if (amountFen === 0n) fail("amount", amountText, "must be more than zero");
        } catch (e) {
          if (!(e instanceof InvalidInputError)) throw e;
          fail("amount", amountText, e.problem);
        }
      }

      const dateText = cell("date");
      let date: string | undefined;
      if (dateText !== "") {
        date = parseDate(dateText);
        if (date === undefined) fail("date", dateText, dateProblem(dateText));
        // The ledger refuses a receipt dated after tomorrow (its check is in UTC days): say so per row.
        else if (date > new Date(Date.now() + 86_400_000).toISOString().slice(0, 10))
          fail("date", dateText, `a receipt date in the future (${date}): the ledger takes dates up to today`);
      }

      let channel = given.channel;
      if (channel === undefined) {
        const channelText = cell("channel");
        channel = channelOfCell(channelText);
        if (channel === undefined) fail("channel", channelText, CHANNEL_HINT);
      }

      const donor = cell("donor");

      const evidenceText = cell("evidence");
      let evidencePath: string | undefined;
      if (evidenceText !== "") evidencePath = await evidence(evidenceText);

      if (reader.failed) return undefined;
      sinceTotal += amountFen;
      return {
        line: r.line,
        ...sheetName,
        ref,
        project,
        amountFen,
        ...(date !== undefined ? { date } : {}),
        ...(donor !== "" ? { donor } : {}),
        channel: channel!,
        ...(evidencePath !== undefined ? { evidencePath } : {}),
      };
    },
    { stopAtEnd: true },
  );

  return { rows, errors, columns: columnsRead };
}
