/**
 * The import corpus (test/fixtures/imports/, written by make.ts there): files shaped like what a
 * charity's accountant holds, each with its expected outcome: either the right donations, their
 * figures checked against the file's own totals, or refused rows naming line, field and value, or
 * the whole file refused with a message a clerk can act on. Then the importer's own refusals: refs
 * reused across months, a receipts file that lacks what the chain has (a second PC), all-or-nothing
 * unless skipRefused, and the dry run.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import ExcelJS from "exceljs";
import { keccak256, toUtf8Bytes } from "ethers";

import { LedgerError } from "../src/errors.js";
import { type DonationRow, type ReadDonationOptions, readDonationFile } from "../src/charity/donation-file.js";
import { type RowError, refusedRowCount } from "../src/table-file.js";
import { donationIdOf, projectIdOf } from "../src/charity/ids.js";
import { CHANNELS } from "../src/charity/vocabulary.js";
import { importDonations, type CashDonationInput, type ImportOptions } from "../src/charity/importer.js";
import { DERIVED_HOUSEHOLD_PREFIX, readBeneficiaryFile } from "../src/relief/beneficiary-file.js";
import { idCheckChar, maskIdNumber } from "../src/relief/key.js";

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "imports");
const CHARITY = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";
const REF_KEY = keccak256(toUtf8Bytes("import corpus reference key"));
const PROJECT = "JM-FLOOD-2026";

const total = (rows: readonly DonationRow[]) => rows.reduce((s, r) => s + r.amountFen, 0n);
const brief = (e: RowError) => [e.sheet ?? "", e.line, e.field, e.value];

async function read(name: string, opts: ReadDonationOptions = {}) {
  return await readDonationFile(join(CORPUS, name), opts);
}

async function refusal(name: string, opts: ReadDonationOptions = {}): Promise<string> {
  const err = await read(name, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${name} was read`).to.be.instanceOf(LedgerError);
  return (err as Error).message;
}

/** make.ts's made-up ID numbers. */
const fakeId = (first17: string) => first17 + idCheckChar(first17);
const ROLL = {
  ok1: fakeId("44078119400515175"),
  ok2: fakeId("44078119620803123"),
  ok3: fakeId("44078119851130202"),
  monitored1: fakeId("44078119700101001"),
  monitored2: fakeId("44078119991231004"),
};

/** A ledger keeping donation amounts by id, as `recordDonations` and `donation(id)` do. */
class FakeLedger {
  readonly amounts = new Map<string, bigint>();
  calls = 0;
  readonly submit = async (_projectId: string, batch: CashDonationInput[]) => {
    this.calls++;
    let recorded = 0;
    for (const d of batch) {
      const id = donationIdOf(CHARITY, d.refHash);
      if (this.amounts.has(id)) continue;
      this.amounts.set(id, d.amount);
      recorded++;
    }
    return { recorded, txHash: keccak256(toUtf8Bytes(`tx${this.calls}`)) };
  };
  readonly onChain = async (donationId: string) => {
    const amount = this.amounts.get(donationId);
    return amount === undefined ? undefined : { amountFen: amount };
  };
}

describe("import corpus: the files departments really have", function () {
  describe("charity donation files", function () {
    it("test_wanHeader_isConverted: 金额（万元） 50, 20, 5.5 is ¥755,000, not ¥75.50", async function () {
      const { rows, errors } = await read("wan-header.csv");
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => r.amountFen)).to.deep.equal([500_000_00n, 200_000_00n, 55_000_00n]);
      expect(total(rows)).to.equal(755_000_00n);
    });

    it("test_unconvertedBracketUnit_isRefused: 金额（美元） is not read as yuan", async function () {
      expect(await refusal("usd-header.csv")).to.match(/金额（美元）.*unit "美元".*not converted/);
    });

    it("test_99gongyiRefund_isRefused: an 已退款 row is no donation; the rest sum to the export's figures", async function () {
      const { rows, errors, columns } = await read("gongyi99.csv", { project: PROJECT });
      // No column is dropped without a word: what was read from which header, and what was not.
      expect(columns).to.deep.equal([
        'columns read: ref ← "订单号", donor ← "捐赠人昵称", amount ← "捐赠金额（元）", date ← "捐赠时间", ' +
          'channel ← "支付方式", status ← "状态", project ← --project JM-FLOOD-2026; not read: "项目名称", "配捐金额（元）"',
      ]);
      expect(errors.map(brief)).to.deep.equal([["", 6, "status", "已退款"]]);
      expect(errors[0]!.reason).to.match(/refund/);
      expect(rows.map((r) => r.ref)).to.deep.equal([
        "9920260907000001",
        "9920260907000002",
        "9920260907000004",
        "9920260907000005",
        "9920260907000006",
      ]);
      expect(total(rows)).to.equal(1_380_50n);
      expect(rows.map((r) => CHANNELS[r.channel])).to.deep.equal(["wechat", "wechat", "other", "other", "wechat"]);
      expect(rows.map((r) => r.donor)).to.deep.equal(["爱心网友", "测试甲", "测试丙", "配捐方", "匿名"]);
      expect(rows.every((r) => r.project === PROJECT && r.date?.startsWith("2026-09-0"))).to.equal(true);
    });

    it("test_wechatRefundRow_isRefused: backticks stripped, REFUND refused, the rest equal the bill's 应结订单总金额", async function () {
      const { rows, errors } = await read("wechat-merchant.csv", { project: PROJECT, channel: "wechat" });
      expect(errors.map(brief)).to.deep.equal([["", 4, "status", "REFUND"]]);
      expect(rows.map((r) => r.ref)).to.deep.equal([
        "4200000001202607110001",
        "4200000001202607110002",
        "4200000001202607120004",
      ]);
      expect(total(rows)).to.equal(128_88n); // the bill's own 应结订单总金额
      expect(rows.map((r) => r.date)).to.deep.equal(["2026-07-11", "2026-07-11", "2026-07-12"]);
    });

    it("test_wechatQrRefund_isRefused: header after 16 preamble lines; 已全额退款 and 支出 refused", async function () {
      const { rows, errors } = await read("wechat-qr.csv", { project: PROJECT, channel: "wechat" });
      expect(errors.map((e) => [e.line, e.field])).to.deep.equal([
        [19, "status"],
        [20, "direction"],
        [20, "status"],
      ]);
      expect(rows.map((r) => [r.line, r.donor, r.amountFen])).to.deep.equal([
        [18, "测试丁", 20_00n],
        [21, "测试己", 100_00n],
      ]);
      expect(rows[0]!.ref).to.equal("10001000000000000000000001");
      expect(refusedRowCount(errors)).to.equal(2); // rows, not errors: line 20 has two
    });

    it("test_alipayOutgoing_isRefused: 支出 rows refused, income equals the file's #收入合计", async function () {
      const { rows, errors } = await read("alipay.csv", { project: PROJECT, channel: "alipay" });
      expect(errors.map(brief)).to.deep.equal([["", 8, "debit", "30.00"]]);
      expect(rows.map((r) => r.ref)).to.deep.equal(["20260711000000001", "20260711000000002"]);
      expect(total(rows)).to.equal(350_00n);
      expect(rows.every((r) => CHANNELS[r.channel] === "alipay")).to.equal(true);
    });

    it("test_bankDebitAndTotal_areRefused: a 建设银行 statement, header on line 4, dates as 20260711", async function () {
      const { rows, errors } = await read("ccb.xlsx", { project: PROJECT, channel: "bank" });
      expect(errors.map(brief)).to.deep.equal([
        ["", 7, "debit", "800"],
        ["", 9, "total", "合计"],
      ]);
      expect(rows.map((r) => [r.line, r.ref, r.amountFen, r.date, r.donor])).to.deep.equal([
        [5, "CCB2026071100001", 5_000_00n, "2026-07-11", "测试建材有限公司"],
        [6, "CCB2026071100002", 12_000_00n, "2026-07-11", "测试商会"],
        [8, "CCB2026071300004", 300_50n, "2026-07-13", "测试个人"],
      ]);
      expect(total(rows)).to.equal(17_300_50n); // the statement's own 合计 of 贷方发生额
      expect(errors[1]!.reason).to.match(/add up to ¥17,300\.50, this row says ¥17,300\.50\)$/);
    });

    it("reads a hand-kept list: 5万, full-width digits, 壹万元整, 20260711, Excel serials, clerks' channel names", async function () {
      const { rows, errors } = await read("handkept.csv");
      expect(errors.map(brief)).to.deep.equal([["", 5, "date", "7月12日"]]);
      expect(errors[0]!.reason).to.match(/no year/);
      expect(rows.map((r) => [r.ref, r.amountFen, r.date, CHANNELS[r.channel]])).to.deep.equal([
        ["HK-01", 50_000_00n, "2026-07-11", "bank"],
        ["HK-02", 1_200_50n, "2026-07-12", "other"],
        ["HK-03", 10_000_00n, "2026-07-12", "bank"],
      ]);
    });

    it("test_secondSheet_isNotSkippedSilently: a workbook with two sheets of donations is refused, naming them", async function () {
      const message = await refusal("workbook.xlsx");
      expect(message).to.include('read sheet "7月12日"');
      expect(message).to.include('"7月13日"');
      expect(message).to.include("--sheet");
      expect(message).not.to.include('"说明"');
    });

    it("test_totalHiddenStruckRows_areRefused: the workbook's 合计, hidden 待核, struck 已退回 rows and an unrounded formula", async function () {
      const { rows, errors } = await read("workbook.xlsx", { sheet: "all" });
      expect(errors.map(brief)).to.deep.equal([
        ["7月12日", 7, "row", "struck through"],
        ["7月12日", 8, "row", "hidden"],
        ["7月12日", 9, "amount", "0.333333333333333"],
        ["7月12日", 10, "total", "合计"],
      ]);
      const [first, second] = [rows.filter((r) => r.sheet === "7月12日"), rows.filter((r) => r.sheet === "7月13日")];
      expect(first.map((r) => [r.line, r.ref, r.amountFen, r.date, r.donor])).to.deep.equal([
        [4, "JM0712-01", 500_000_00n, "2026-07-12", "测试建设集团"],
        [5, "JM0712-02", 200_000_00n, "2026-07-12", "测试物流公司"],
        [6, "JM0712-03", 55_000_00n, "2026-07-12", "测试个体户"],
      ]);
      expect(second.map((r) => r.line)).to.deep.equal([2, 3, 4]);
      expect(total(second)).to.equal(21_300_00n);
      const one = await read("workbook.xlsx", { sheet: "7月13日" });
      expect(one.errors).to.deep.equal([]);
      expect(total(one.rows)).to.equal(21_300_00n);
    });

    it("refuses every missing column at once, and a file without a project column unless --project", async function () {
      const message = await refusal("gongyi99.csv");
      expect(message).to.include('missing column "project"');
      expect(message).to.include("--project");
      const dir = await mkdtemp(join(tmpdir(), "zhixin-cols-"));
      try {
        await writeFile(join(dir, "cols.csv"), "捐赠人,备注\n测试甲,x\n");
        const all = await readDonationFile(join(dir, "cols.csv")).then(
          () => "",
          (e: unknown) => (e as Error).message,
        );
        expect(all).to.match(/missing column "ref".*missing column "project".*missing column "amount"/);
        // --sheet all on a CSV reads the CSV
        await writeFile(join(dir, "ok.csv"), "流水号,项目,金额\nA1,P,1\n");
        expect((await readDonationFile(join(dir, "ok.csv"), { sheet: "all" })).rows).to.have.length(1);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("village household rolls", function () {
    it("test_secondRollSheet_isNotSkippedSilently: the 防返贫监测对象 sheet is named, not dropped", async function () {
      const err = await readBeneficiaryFile(join(CORPUS, "village-roll.xlsx")).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).to.match(
        /read sheet "脱贫户", but "防返贫监测对象" looks like a beneficiary roll too.*--sheet/,
      );
    });

    it("test_excelTruncatedId_isRefused: a numeric 18-digit cell, a 15-digit old ID and an ID with spaces", async function () {
      const { rows, errors } = await readBeneficiaryFile(join(CORPUS, "village-roll.xlsx"), "register", {
        sheet: "all",
      });
      expect(errors.map((e) => [e.sheet, e.line, e.field])).to.deep.equal([
        ["脱贫户", 5, "idNumber"],
        ["脱贫户", 6, "idNumber"],
        ["脱贫户", 7, "idNumber"],
      ]);
      expect(errors[0]!.reason).to.match(/^Excel kept only 15 digits/);
      expect(errors[1]!.reason).to.match(/old 15-digit ID number: convert it to 18/);
      expect(errors[2]!.reason).to.match(/has spaces in it/);
      // never a full ID number in a message
      for (const e of errors) expect(e.value).to.match(/^[0-9]{6}\*+/);
      expect(rows.map((r) => [r.sheet, r.line, r.maskedId, r.household])).to.deep.equal([
        ["脱贫户", 3, maskIdNumber(ROLL.ok1), DERIVED_HOUSEHOLD_PREFIX + ROLL.ok1],
        ["脱贫户", 4, maskIdNumber(ROLL.ok2), DERIVED_HOUSEHOLD_PREFIX + ROLL.ok2],
        ["脱贫户", 8, maskIdNumber(ROLL.ok3), DERIVED_HOUSEHOLD_PREFIX + ROLL.ok3],
        ["防返贫监测对象", 2, maskIdNumber(ROLL.monitored1), DERIVED_HOUSEHOLD_PREFIX + ROLL.monitored1],
        ["防返贫监测对象", 3, maskIdNumber(ROLL.monitored2), DERIVED_HOUSEHOLD_PREFIX + ROLL.monitored2],
      ]);
    });

    it("test_csvTruncatedId_isRefused: an ID ending in 000 as Excel writes a number out, even with a valid check character", async function () {
      const { rows, errors } = await readBeneficiaryFile(join(CORPUS, "village-roll.csv"));
      expect(errors.map((e) => [e.line, e.field, e.value])).to.deep.equal([[3, "idNumber", "440781********2000"]]);
      expect(errors[0]!.reason).to.match(/^Excel kept only 15 digits.*ends in 000/);
      expect(rows.map((r) => r.line)).to.deep.equal([2, 4]);
    });

    it("test_hiddenStruckRollRows_areRefused: a hidden or struck-through household is not registered", async function () {
      const dir = await mkdtemp(join(tmpdir(), "zhixin-roll-"));
      try {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet("花名册");
        ws.addRow(["户主姓名", "户主身份证号"]);
        ws.addRow(["测试甲", ROLL.ok1]);
        ws.addRow(["测试乙", ROLL.ok2]).eachCell((c) => (c.font = { strike: true }));
        ws.addRow(["测试丙", ROLL.ok3]).hidden = true;
        const path = join(dir, "roll.xlsx");
        await wb.xlsx.writeFile(path);
        const { rows, errors } = await readBeneficiaryFile(path);
        expect(rows.map((r) => r.line)).to.deep.equal([2]);
        expect(errors.map((e) => [e.line, e.field, e.value])).to.deep.equal([
          [3, "row", "struck through"],
          [4, "row", "hidden"],
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("derives the household from the 户主身份证号 column beside a member's own ID number", async function () {
      const dir = await mkdtemp(join(tmpdir(), "zhixin-roll-"));
      try {
        const path = join(dir, "members.csv");
        const member = fakeId("44078120100101002");
        await writeFile(
          path,
          `户主身份证号,身份证号,与户主关系\n${ROLL.ok1},${ROLL.ok1},本人\n${ROLL.ok1},${member},子\n`,
        );
        const { rows, errors } = await readBeneficiaryFile(path);
        expect(errors).to.deep.equal([]);
        expect(rows.map((r) => [r.maskedId, r.household])).to.deep.equal([
          [maskIdNumber(ROLL.ok1), DERIVED_HOUSEHOLD_PREFIX + ROLL.ok1],
          [maskIdNumber(member), DERIVED_HOUSEHOLD_PREFIX + ROLL.ok1],
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("charity importer", function () {
    let dir: string;
    beforeEach(async function () {
      dir = await mkdtemp(join(tmpdir(), "zhixin-corpus-"));
    });
    afterEach(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    const row = (line: number, ref: string, yuan: number, donor: string, date: string): DonationRow => ({
      line,
      ref,
      project: PROJECT,
      amountFen: BigInt(yuan) * 100n,
      donor,
      date,
      channel: 0,
    });
    const options = (ledger: FakeLedger, rows: DonationRow[], extra: Partial<ImportOptions> = {}): ImportOptions => ({
      rows,
      charity: CHARITY,
      refKey: REF_KEY,
      resolveProject: async (code) => projectIdOf(CHARITY, code),
      receiptsPath: join(dir, "receipts.csv"),
      submit: ledger.submit,
      onChain: ledger.onChain,
      ...extra,
    });
    const june = [row(2, "1", 100, "测试甲", "2026-06-01"), row(3, "2", 50, "测试乙", "2026-06-02")];
    const july = [row(2, "1", 100, "测试甲", "2026-07-01"), row(3, "2", 50, "测试丙", "2026-07-02")];

    it("test_refReusedAcrossMonths_isRefused: 序号 as 流水号 restarting each month is not 'already on chain'", async function () {
      const ledger = new FakeLedger();
      await importDonations(options(ledger, june));
      const result = await importDonations(options(ledger, july));
      expect(result.sent).to.equal(false);
      expect(result.errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "date"],
        [3, "donor"],
        [3, "date"],
      ]);
      expect(result.errors.every((e) => /ref reused/.test(e.reason))).to.equal(true);
      expect(ledger.calls).to.equal(1);
    });

    it("test_secondPcReceipts_isRefused: a fresh receipts file never mints a code for a donation already on chain", async function () {
      const ledger = new FakeLedger();
      await importDonations(options(ledger, june));
      const other = join(dir, "other-pc.csv");
      const result = await importDonations(options(ledger, july, { receiptsPath: other }));
      expect(result.sent).to.equal(false);
      expect(result.errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "ref"],
        [3, "ref"],
      ]);
      expect(result.errors[0]!.reason).to.match(/already on chain.*receipts file/);
      expect(
        await stat(other).then(
          () => "written",
          () => "none",
        ),
      ).to.equal("none");
      expect(ledger.calls).to.equal(1);
      // skipping the refused rows still writes no receipt for them
      const skipped = await importDonations(options(ledger, july, { receiptsPath: other, skipRefused: true }));
      expect(skipped.recorded).to.equal(0);
      expect(
        await stat(other).then(
          () => "written",
          () => "none",
        ),
      ).to.equal("none");
    });

    it("sends nothing when any row is refused, unless skipRefused; a dry run sends and writes nothing", async function () {
      const ledger = new FakeLedger();
      const fileErrors: RowError[] = [{ line: 4, field: "status", value: "已退款", reason: "a refund" }];
      const refused = await importDonations(options(ledger, june, { fileErrors }));
      expect(refused).to.include({ sent: false, recorded: 0, refusedRows: 1 });
      expect(ledger.calls).to.equal(0);
      expect(
        await stat(join(dir, "receipts.csv")).then(
          () => "written",
          () => "none",
        ),
      ).to.equal("none");

      const dry = await importDonations(options(ledger, june, { fileErrors, dryRun: true, skipRefused: true }));
      expect(dry).to.include({ sent: false, total: 2, totalFen: 150_00n, refusedRows: 1 });
      expect(ledger.calls).to.equal(0);
      expect(
        await stat(join(dir, "receipts.csv")).then(
          () => "written",
          () => "none",
        ),
      ).to.equal("none");

      const skipped = await importDonations(options(ledger, june, { fileErrors, skipRefused: true }));
      expect(skipped).to.include({ sent: true, recorded: 2, totalFen: 150_00n });
      expect((await readFile(join(dir, "receipts.csv"), "utf8")).trimEnd().split("\n")).to.have.length(3);
    });
  });
});
