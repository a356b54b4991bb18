/**
 * Importing a charity's donation list (CSV or XLSX) with no chain: `submit` is a fake ledger that,
 * like `recordDonations`, keeps the donation ids it has and skips them. Files are written to a
 * temporary folder by each test.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import ExcelJS from "exceljs";
import { ZeroHash, hexlify, keccak256, solidityPacked, toUtf8Bytes } from "ethers";
import { lock } from "proper-lockfile";

import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { formatYuan, MAX_FEN, parseYuan } from "../../src/money.js";
import { readDonationFile, type DonationRow } from "../../src/charity/donation-file.js";
import { formatRowError, type RowError } from "../../src/table-file.js";
import { donationIdOf, projectIdOf, refHashOf } from "../../src/charity/ids.js";
import { importDonations, type CashDonationInput, type ImportOptions } from "../../src/charity/importer.js";
import {
  donorCommitment,
  formatReceiptCode,
  loadReceipts,
  parseReceiptCode,
  receiptMatches,
} from "../../src/charity/receipts.js";

const CHARITY = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";
/** The charity's reference key in these tests (any 32 bytes; the real one comes from its signature). */
const REF_KEY = keccak256(toUtf8Bytes("charity-import test reference key"));
const refHash = (ref: string) => refHashOf(REF_KEY, ref);
const KNOWN_PROJECTS = new Set(["JM-FLOOD-2026", "JM-SCHOOL-2026"]);

/** A fake ledger: `recordDonations` semantics (skip known ids), and a log of every call. */
class FakeLedger {
  readonly ids = new Map<string, { projectId: string; donation: CashDonationInput }>();
  readonly calls: { projectId: string; batch: CashDonationInput[] }[] = [];
  recordedTimes = new Map<string, number>();
  /** Throws on this call (1-based), as a killed run would stop. */
  failOnCall: number | undefined;
  /** How long each batch takes to be mined. */
  delayMs = 0;

  readonly submit = async (projectId: string, batch: CashDonationInput[]) => {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failOnCall === this.calls.length + 1) {
      this.failOnCall = undefined;
      throw new Error("killed");
    }
    this.calls.push({ projectId, batch });
    let recorded = 0;
    for (const d of batch) {
      const id = donationIdOf(CHARITY, d.refHash);
      if (this.ids.has(id)) continue;
      this.ids.set(id, { projectId, donation: d });
      this.recordedTimes.set(id, (this.recordedTimes.get(id) ?? 0) + 1);
      recorded++;
    }
    return { recorded, txHash: keccak256(toUtf8Bytes(`tx${this.calls.length}`)) };
  };
}

async function resolveProject(code: string): Promise<string> {
  if (!KNOWN_PROJECTS.has(code)) throw new LedgerError(`unknown project ${code}`);
  return projectIdOf(CHARITY, code);
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

describe("charity donation import", function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "zhixin-import-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  function options(
    ledger: FakeLedger,
    rows: readonly DonationRow[],
    extra: Partial<ImportOptions> = {},
  ): ImportOptions {
    return {
      rows,
      charity: CHARITY,
      refKey: REF_KEY,
      resolveProject,
      receiptsPath: join(dir, "receipts.csv"),
      submit: ledger.submit,
      ...extra,
    };
  }

  describe("money", function () {
    it("parses yuan into fen in the forms people write", function () {
      expect(parseYuan("1234")).to.equal(123400n);
      expect(parseYuan("1234.5")).to.equal(123450n);
      expect(parseYuan("1,234.56")).to.equal(123456n);
      expect(parseYuan("¥1,234.56")).to.equal(123456n);
      expect(parseYuan(" ￥ 1,234.56 元")).to.equal(123456n);
      expect(parseYuan("１２３")).to.equal(12300n);
      expect(parseYuan("１，２３４．５")).to.equal(123450n);
      expect(parseYuan("0.01")).to.equal(1n);
      expect(parseYuan("0")).to.equal(0n);
      expect(parseYuan("1,234,567")).to.equal(123456700n);
    });

    it("refuses what is not an amount, naming the field and the value", function () {
      const problem = (text: string) => {
        try {
          parseYuan(text, "gift");
        } catch (e) {
          expect(e).to.be.instanceOf(InvalidInputError);
          expect((e as InvalidInputError).field).to.equal("gift");
          expect((e as InvalidInputError).value).to.equal(text);
          return (e as InvalidInputError).problem;
        }
        throw new Error(`${text} parsed`);
      };
      expect(problem("")).to.equal("is empty");
      expect(problem("  ")).to.equal("is empty");
      expect(problem("-5")).to.equal("must not be negative");
      expect(problem("-¥5")).to.equal("must not be negative");
      expect(problem("1.234")).to.equal("at most 2 decimal places (fen)");
      expect(problem("1,23")).to.match(/malformed thousands separators/);
      expect(problem("12,345,67")).to.match(/malformed thousands separators/);
      expect(problem("1,,234")).to.match(/malformed thousands separators/);
      for (const bad of ["abc", "1e5", "0x10", "1.2.3", ".5", "12.", "Infinity", "1 234"]) {
        expect(problem(bad), bad).to.match(/not an amount in yuan/);
      }
      expect(parseYuan(formatYuan(MAX_FEN))).to.equal(MAX_FEN);
      expect(problem(formatYuan(MAX_FEN + 1n))).to.match(/too large/);
      expect(() => parseYuan("x")).to.throw(InvalidInputError, 'invalid amount "x"');
    });

    it("formats fen as yuan", function () {
      expect(formatYuan(123456n)).to.equal("1,234.56");
      expect(formatYuan(123456n, { symbol: true })).to.equal("¥1,234.56");
      expect(formatYuan(-5n, { symbol: true })).to.equal("-¥0.05");
      expect(formatYuan(0n)).to.equal("0.00");
      expect(formatYuan(100000000n)).to.equal("1,000,000.00");
    });
  });

  describe("receipt codes and commitments", function () {
    const salt = "0x00112233445566778899aabbccddeeff";
    const id = donationIdOf(CHARITY, refHash("BANK-1"));

    it("commit to the name with the salt, as documented", function () {
      const expected = keccak256(solidityPacked(["string", "bytes16", "string"], ["zhixin-donor-v1", salt, "张三"]));
      expect(donorCommitment(" 张三 ", salt)).to.equal(expected);
      // NFC: a decomposed é commits like the composed one.
      expect(donorCommitment("Ren\u0065\u0301", salt)).to.equal(donorCommitment("Ren\u00e9", salt));
      expect(donorCommitment("张三", "0x" + "00".repeat(16))).to.not.equal(expected);
    });

    it("round-trip through a code a person can type", function () {
      const code = formatReceiptCode(id, salt);
      expect(code).to.match(/^ZX-[0-9A-HJKMNP-TV-Z]{13}-[0-9A-HJKMNP-TV-Z]{13}-[0-9A-HJKMNP-TV-Z]{13}$/);
      expect(parseReceiptCode(code)).to.deep.equal({ donationIdPrefix: id.slice(0, 18), salt });
      const typed = code.toLowerCase().replaceAll("-", " ").replaceAll("1", "l").replaceAll("0", "o");
      expect(parseReceiptCode(typed)).to.deep.equal(parseReceiptCode(code));
      expect(receiptMatches(code, "张三", id, donorCommitment("张三", salt))).to.equal(true);
      expect(receiptMatches(code, "李四", id, donorCommitment("张三", salt))).to.equal(false);
      expect(() => parseReceiptCode("ZX-123")).to.throw(InvalidInputError, /not a receipt code/);
      expect(() => parseReceiptCode(code.replace(/.$/, "U"))).to.throw(InvalidInputError, /not a receipt code/);
    });
  });

  describe("reading files", function () {
    it("reads a CSV with English headers", async function () {
      await file("slip-1.pdf", "bank slip");
      const path = await file(
        "donations.csv",
        [
          "Ref, Project ,Amount (yuan),Date,Donor,Channel,Evidence,Notes",
          'BANK-1,JM-FLOOD-2026,"1,234.56",2026/7/1,Zhang San,Bank,slip-1.pdf,first',
          "BANK-2,JM-FLOOD-2026,1234.5,2026-07-02,,alipay,,",
          "BANK-3,JM-SCHOOL-2026,¥50,,Li Si,,,",
        ].join("\r\n") + "\r\n",
      );
      const { rows, errors } = await readDonationFile(path);
      expect(errors).to.deep.equal([]);
      expect(rows).to.deep.equal([
        {
          line: 2,
          ref: "BANK-1",
          project: "JM-FLOOD-2026",
          amountFen: 123456n,
          date: "2026-07-01",
          donor: "Zhang San",
          channel: 0,
          evidencePath: join(dir, "slip-1.pdf"),
        },
        { line: 3, ref: "BANK-2", project: "JM-FLOOD-2026", amountFen: 123450n, date: "2026-07-02", channel: 1 },
        { line: 4, ref: "BANK-3", project: "JM-SCHOOL-2026", amountFen: 5000n, donor: "Li Si", channel: 4 },
      ]);
    });

    it("reads a CSV with Chinese headers under a title row, with a BOM", async function () {
      const path = await file(
        "捐赠.csv",
        "\ufeff" +
          [
            "江门市某某基金会 2026年7月捐赠明细,,,,,",
            ",,,,,",
            "流水号,项目编号,金额（元）,日期,捐赠人,渠道",
            "R001,JM-FLOOD-2026,１２３,2026年7月1日,张三,微信",
            "R002,JM-FLOOD-2026,0.5,,李四,现金",
          ].join("\n"),
      );
      const { rows, errors } = await readDonationFile(path);
      expect(errors).to.deep.equal([]);
      expect(rows.map((r) => [r.line, r.ref, r.amountFen, r.date, r.donor, r.channel])).to.deep.equal([
        [4, "R001", 12300n, "2026-07-01", "张三", 2],
        [5, "R002", 50n, undefined, "李四", 3],
      ]);
    });

    it("reads an XLSX written by Excel-like tools: numbers, text amounts and dates", async function () {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("捐赠");
      sheet.addRow(["收据号", "项目", "金额", "日期", "捐赠人", "渠道"]);
      sheet.addRow(["X-1", "JM-FLOOD-2026", 1234.56, new Date(Date.UTC(2026, 6, 1)), "王五", "银行"]);
      sheet.addRow(["X-2", "JM-FLOOD-2026", "1,234.56", "2026/7/2", "赵六", "支付宝"]);
      sheet.addRow(["X-3", "JM-SCHOOL-2026", { formula: "0.1+0.2", result: 0.1 + 0.2 }, null, null, null]);
      sheet.addRow([10023, "JM-SCHOOL-2026", 1234.5, null, null, null]);
      sheet.addRow([]);
      sheet.addRow([2026070100001234, "JM-SCHOOL-2026", 1, null, null, null]);
      const path = join(dir, "donations.xlsx");
      await workbook.xlsx.writeFile(path);

      const { rows, errors } = await readDonationFile(path);
      expect(rows.map((r) => [r.line, r.ref, r.project, r.amountFen, r.date, r.donor, r.channel])).to.deep.equal([
        [2, "X-1", "JM-FLOOD-2026", 123456n, "2026-07-01", "王五", 0],
        [3, "X-2", "JM-FLOOD-2026", 123456n, "2026-07-02", "赵六", 1],
        [4, "X-3", "JM-SCHOOL-2026", 30n, undefined, undefined, 4],
        [5, "10023", "JM-SCHOOL-2026", 123450n, undefined, undefined, 4],
      ]);
      // A 16-digit reference stored as a number has lost digits in Excel already.
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ line: 7, field: "ref" });
      expect(errors[0]!.reason).to.match(/more than 15 digits/);

      const ledger = new FakeLedger();
      const result = await importDonations(options(ledger, rows));
      expect(result).to.include({ total: 4, recorded: 4, alreadyOnChain: 0, batches: 2 });
      expect(ledger.calls.map((c) => c.projectId)).to.deep.equal([
        projectIdOf(CHARITY, "JM-FLOOD-2026"),
        projectIdOf(CHARITY, "JM-SCHOOL-2026"),
      ]);
      expect(ledger.calls[0]!.batch.map((d) => d.amount)).to.deep.equal([123456n, 123456n]);
    });

    it("gives one error per bad cell with the line the user sees, and skips empty rows", async function () {
      await file("ok.pdf", "x");
      const path = await file(
        "bad.csv",
        [
          /* 1 */ "ref,project,amount,date,donor,channel,evidence",
          /* 2 */ "A1,JM-FLOOD-2026,abc,,,,",
          /* 3 */ "A2,JM-FLOOD-2026,1.234,,,,",
          /* 4 */ "A3,JM-FLOOD-2026,0,,,,",
          /* 5 */ ",,,,,,",
          /* 6 */ "A4,JM-FLOOD-2026,10,,,,ok.pdf",
          /* 7 */ "A4,JM-FLOOD-2026,10,,,,",
          /* 8 */ ",JM-FLOOD-2026,,,,,",
          /* 9 */ "A5,JM-FLOOD-2026,10,2026-02-30,,paypal,missing.pdf",
          /* 10 */ '"A6",JM-FLOOD-2026,"1,23",,"two',
          /* 11 */ 'lines",,',
          /* 12 */ "A7,,5,,,,",
          /* 13 */ "",
          /* 14 */ " , , ",
        ].join("\n") + "\n",
      );
      const { rows, errors } = await readDonationFile(path);
      expect(rows.map((r) => [r.line, r.ref])).to.deep.equal([[6, "A4"]]);
      const brief = (e: RowError) => [e.line, e.field, e.value];
      expect(errors.map(brief)).to.deep.equal([
        [2, "amount", "abc"],
        [3, "amount", "1.234"],
        [4, "amount", "0"],
        [7, "ref", "A4"],
        [8, "ref", ""],
        [8, "amount", ""],
        [9, "date", "2026-02-30"],
        [9, "channel", "paypal"],
        [9, "evidence", "missing.pdf"],
        [10, "amount", "1,23"],
        [12, "project", ""],
      ]);
      const reason = (line: number, field: string) => errors.find((e) => e.line === line && e.field === field)!.reason;
      expect(reason(3, "amount")).to.equal("at most 2 decimal places (fen)");
      expect(reason(4, "amount")).to.equal("must be more than zero");
      expect(reason(7, "ref")).to.equal("duplicate: the same ref is on line 6");
      expect(reason(8, "ref")).to.equal("is empty");
      expect(reason(9, "evidence")).to.equal(`file not found: ${join(dir, "missing.pdf")}`);
      expect(reason(9, "channel")).to.match(/unknown channel/);
      expect(formatRowError(errors[1]!)).to.equal('line 3, amount "1.234": at most 2 decimal places (fen)');
    });

    it("refuses a CSV that is not UTF-8, saying how to save it", async function () {
      const path = await file(
        "gbk.csv",
        Buffer.concat([
          Buffer.from("ref,project,amount,donor\nA1,JM-FLOOD-2026,10,"),
          Buffer.from([0xbe, 0xe8, 0xd4, 0xf9]),
          Buffer.from("\n"),
        ]),
      );
      const err = await readDonationFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(LedgerError);
      expect((err as Error).message).to.match(/is not UTF-8 \(first bad bytes on line 2\).*GBK.*CSV UTF-8/);
    });

    it("refuses a file without a required column, listing the headers it found", async function () {
      const path = await file("nocol.csv", "流水号,项目,money,捐赠人\nA1,JM-FLOOD-2026,10,张三\n");
      const err = await readDonationFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(LedgerError);
      expect((err as Error).message).to.include('missing column "amount" (金额 / 捐赠金额');
      expect((err as Error).message).to.include('headers found on line 1: "流水号", "项目", "money", "捐赠人"');
    });

    it("refuses a file with a header row and nothing below it, rather than importing nothing", async function () {
      const path = await file("header-only.csv", "流水号,项目,金额,捐赠人\n,,,\n\n");
      const err = await readDonationFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(LedgerError);
      expect((err as Error).message).to.include("has its header row (line 1) but no rows below it");
    });

    it("refuses files over 50 MB and old .xls files", async function () {
      const big = await file("big.csv", "ref,project,amount\n");
      await truncate(big, 50 * 1024 * 1024 + 1);
      await readDonationFile(big).then(
        () => expect.fail("read a 50 MB file"),
        (e: unknown) => expect((e as Error).message).to.match(/over 50 MB are refused/),
      );
      const xls = await file("old.xls", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
      await readDonationFile(xls).then(
        () => expect.fail("read an .xls file"),
        (e: unknown) => expect((e as Error).message).to.match(/old Excel \.xls file/),
      );
    });
  });

  describe("importing", function () {
    const NAMES = ["张三", "李四", "王五", "Zhang San", "Ma Liu"];

    async function sampleRows(count: number): Promise<DonationRow[]> {
      const lines = ["ref,project,amount,donor,channel"];
      for (let i = 0; i < count; i++) {
        const project = i % 3 === 2 ? "JM-SCHOOL-2026" : "JM-FLOOD-2026";
        lines.push(`R-${i},${project},${i + 1}.25,${NAMES[i % NAMES.length]},wechat`);
      }
      const { rows, errors } = await readDonationFile(await file("sample.csv", lines.join("\n")));
      expect(errors).to.deep.equal([]);
      return rows;
    }

    it("sends each project's rows in batches, in file order, and receipts verify against the chain", async function () {
      const rows = await sampleRows(7);
      const ledger = new FakeLedger();
      const progress: [number, number][] = [];
      const result = await importDonations(
        options(ledger, rows, { batchSize: 2, onProgress: (d, t) => progress.push([d, t]) }),
      );
      expect(result).to.include({ total: 7, recorded: 7, alreadyOnChain: 0, batches: 4 });
      expect(result.errors).to.deep.equal([]);
      expect(progress).to.deep.equal([
        [2, 7],
        [4, 7],
        [5, 7],
        [7, 7],
      ]);
      expect(ledger.calls.map((c) => c.batch.map((d) => d.refHash))).to.deep.equal([
        [refHash("R-0"), refHash("R-1")],
        [refHash("R-3"), refHash("R-4")],
        [refHash("R-6")],
        [refHash("R-2"), refHash("R-5")],
      ]);
      for (const d of result.donations) {
        const onChain = ledger.ids.get(d.donationId)!;
        expect(onChain.projectId).to.equal(projectIdOf(CHARITY, d.project));
        const name = rows.find((r) => r.ref === d.ref)!.donor!;
        expect(receiptMatches(d.receiptCode, name, d.donationId, onChain.donation.donorCommitment)).to.equal(true);
      }
      // Run again: nothing new.
      const again = await importDonations(options(ledger, rows, { batchSize: 2 }));
      expect(again).to.include({ total: 7, recorded: 0, alreadyOnChain: 7 });
      expect(again.donations.map((d) => d.receiptCode)).to.deep.equal(result.donations.map((d) => d.receiptCode));
    });

    it("sends each row's receipt date (the file's date column) as its business date, the same on a re-run", async function () {
      const csv = ["ref,project,amount,date,donor,channel", "D-1,JM-FLOOD-2026,10,2026-07-11,张三,wechat"];
      csv.push("D-2,JM-FLOOD-2026,20,,李四,wechat", "D-3,JM-FLOOD-2026,30,20260301,王五,bank");
      const { rows, errors } = await readDonationFile(await file("dated.csv", csv.join("\n")));
      expect(errors).to.deep.equal([]);
      const ledger = new FakeLedger();
      await importDonations(options(ledger, rows));
      const sent = ledger.calls.flatMap((c) => c.batch).map((d) => d.receivedOn);
      // 2026-07-11 and 2026-03-01 as days since 1970-01-01; 0: the row gives no date.
      expect(sent).to.deep.equal([Date.UTC(2026, 6, 11) / 86_400_000, 0, Date.UTC(2026, 2, 1) / 86_400_000]);
      await importDonations(options(ledger, rows));
      expect(ledger.calls.at(-1)!.batch.map((d) => d.receivedOn)).to.deep.equal(sent);
    });

    it("refuses a row dated in the future, which the ledger would refuse", async function () {
      const tomorrowButOne = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const csv = ["ref,project,amount,date,donor,channel", `F-1,JM-FLOOD-2026,10,${tomorrowButOne},张三,wechat`];
      const { errors } = await readDonationFile(await file("future.csv", csv.join("\n")));
      expect(errors.map((e) => [e.field, e.reason])).to.deep.equal([
        ["date", `a receipt date in the future (${tomorrowButOne}): the ledger takes dates up to today`],
      ]);
    });

    it("never sends a donor's name", async function () {
      const rows = await sampleRows(10);
      const ledger = new FakeLedger();
      await importDonations(options(ledger, rows, { batchSize: 3 }));
      const sent = json(ledger.calls);
      for (const name of NAMES) {
        expect(sent).to.not.include(name);
        expect(sent.toLowerCase()).to.not.include(hexlify(toUtf8Bytes(name)).slice(2));
      }
      expect(sent).to.include(refHash("R-0"));
    });

    it("resumes a killed run: every donation recorded once, receipts kept", async function () {
      const rows = await sampleRows(9);
      const ledger = new FakeLedger();
      ledger.failOnCall = 2;
      const receiptsPath = join(dir, "receipts.csv");
      const first = await importDonations(options(ledger, rows, { batchSize: 2 })).then(
        () => expect.fail("the run was not killed"),
        (e: unknown) => e,
      );
      expect((first as Error).message).to.equal("killed");
      expect(ledger.ids.size).to.equal(2);
      const afterKill = await loadReceipts(receiptsPath);
      // The batch that was being sent has its receipts on disk too.
      expect([...afterKill.keys()]).to.deep.equal(["R-0", "R-1", "R-3", "R-4"]);

      const second = await importDonations(options(ledger, rows, { batchSize: 2 }));
      expect(second).to.include({ total: 9, recorded: 7, alreadyOnChain: 2 });
      expect(ledger.ids.size).to.equal(9);
      expect([...ledger.recordedTimes.values()].every((n) => n === 1)).to.equal(true);

      const text = (await readFile(receiptsPath, "utf8")).replace(/^\ufeff/, "");
      const lines = text.trimEnd().split("\n");
      expect(lines).to.have.length(1 + 9);
      const refs = lines.slice(1).map((l) => l.split(",")[0]);
      expect(new Set(refs).size).to.equal(9);
      const final = await loadReceipts(receiptsPath);
      for (const [ref, r] of afterKill) {
        expect(final.get(ref)!.commitment).to.equal(r.commitment);
        expect(final.get(ref)!.receiptCode).to.equal(r.receiptCode);
      }
      for (const r of final.values()) {
        expect(ledger.ids.get(r.donationId)!.donation.donorCommitment).to.equal(r.commitment);
      }
    });

    it("lets one run at a time write a receipts file: one started meanwhile waits, then finds every donation on chain", async function () {
      const rows = await sampleRows(12);
      const ledger = new FakeLedger();
      ledger.delayMs = 150;
      const [a, b] = await Promise.all([
        importDonations(options(ledger, rows, { batchSize: 2 })),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
          importDonations(options(ledger, rows, { batchSize: 2 })),
        ),
      ]);
      expect(a).to.include({ recorded: 12 });
      expect(b).to.include({ recorded: 0, alreadyOnChain: 12 });
      expect(b.donations.map((d) => d.receiptCode)).to.deep.equal(a.donations.map((d) => d.receiptCode));
      const lines = (await readFile(join(dir, "receipts.csv"), "utf8")).trimEnd().split("\n");
      expect(lines).to.have.length(1 + 12); // one receipt per ref
    });

    it("takes over a lock left by a crashed run, and stops with an error while a live run holds it", async function () {
      this.timeout(30_000);
      const rows = await sampleRows(3);
      const receiptsPath = join(dir, "receipts.csv");
      // A crashed run's lock: not refreshed for a minute.
      await mkdir(`${receiptsPath}.lock`);
      const aMinuteAgo = new Date(Date.now() - 60_000);
      await utimes(`${receiptsPath}.lock`, aMinuteAgo, aMinuteAgo);
      expect(await importDonations(options(new FakeLedger(), rows))).to.include({ recorded: 3 });

      const release = await lock(receiptsPath, { realpath: false, update: 1_000, stale: 5_000 });
      try {
        const err = await importDonations(options(new FakeLedger(), rows)).then(
          () => expect.fail("imported while another run held the lock"),
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(LedgerError);
        expect((err as Error).message).to.match(/another run is writing the receipts file .*let it finish/);
      } finally {
        await release();
      }
    });

    it("drops a receipt line cut short by a crash, and keeps a whole one missing its newline", async function () {
      const rows = await sampleRows(2);
      const receiptsPath = join(dir, "receipts.csv");
      const ledger = new FakeLedger();
      await importDonations(options(ledger, rows));
      const whole = await readFile(receiptsPath, "utf8");
      await writeFile(receiptsPath, whole.slice(0, -1)); // no final newline
      expect([...(await loadReceipts(receiptsPath)).keys()]).to.deep.equal(["R-0", "R-1"]);
      await appendFile(receiptsPath, "R-9,JM-FLOOD-2026,0x12");
      expect([...(await loadReceipts(receiptsPath)).keys()]).to.deep.equal(["R-0", "R-1"]);
      expect(await readFile(receiptsPath, "utf8")).to.equal(whole);
    });

    it("turns an unknown project into row errors: sends nothing, or only the other rows with skipRefused", async function () {
      const path = await file(
        "projects.csv",
        "ref,project,amount\nP1,JM-FLOOD-2026,10\nP2,NO-SUCH,20\nP3,NO-SUCH,30\nP4,JM-FLOOD-2026,40\n",
      );
      const { rows } = await readDonationFile(path);
      const ledger = new FakeLedger();
      const refused = await importDonations(options(ledger, rows));
      expect(refused).to.include({ total: 2, recorded: 0, batches: 0, sent: false, refusedRows: 2 });
      expect(ledger.calls).to.deep.equal([]);
      const result = await importDonations(options(ledger, rows, { skipRefused: true }));
      expect(result).to.include({ total: 2, recorded: 2, batches: 1, sent: true });
      expect(result.errors).to.deep.equal([
        { line: 3, field: "project", value: "NO-SUCH", reason: "unknown project NO-SUCH" },
        { line: 4, field: "project", value: "NO-SUCH", reason: "unknown project NO-SUCH" },
      ]);
      expect(ledger.calls.flatMap((c) => c.batch.map((d) => d.refHash))).to.deep.equal([refHash("P1"), refHash("P4")]);
      expect([...(await loadReceipts(join(dir, "receipts.csv"))).keys()]).to.deep.equal(["P1", "P4"]);
    });

    it("refuses a re-run whose rows differ from what was prepared before", async function () {
      const ledger = new FakeLedger();
      const before = await readDonationFile(
        await file(
          "a.csv",
          "ref,project,amount,donor\nC1,JM-FLOOD-2026,10,张三\nC2,JM-FLOOD-2026,20,李四\nC3,JM-FLOOD-2026,5,\n",
        ),
      );
      await importDonations(options(ledger, before.rows));
      const after = await readDonationFile(
        await file(
          "b.csv",
          "ref,project,amount,donor\nC1,JM-FLOOD-2026,11,张三\nC2,JM-SCHOOL-2026,20,李四\nC3,JM-FLOOD-2026,5,王五\n",
        ),
      );
      const result = await importDonations(options(ledger, after.rows));
      expect(result.total).to.equal(0);
      expect(result.errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "amount"],
        [3, "project"],
        [4, "donor"],
      ]);
      expect(result.errors[1]!.reason).to.match(/imported for project "JM-FLOOD-2026"/);
    });

    it("refuses a receipts file written for another charity account", async function () {
      const rows = await sampleRows(1);
      await importDonations(options(new FakeLedger(), rows));
      await importDonations(
        options(new FakeLedger(), rows, { charity: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }),
      ).then(
        () => expect.fail("used another charity's receipts"),
        (e: unknown) => expect((e as Error).message).to.match(/written for another charity account/),
      );
    });

    it("hashes evidence files into the donation", async function () {
      await file("slip.pdf", "the bank slip");
      const { rows } = await readDonationFile(
        await file("e.csv", "ref,project,amount,evidence\nE1,JM-FLOOD-2026,1,slip.pdf\nE2,JM-FLOOD-2026,2,\n"),
      );
      const ledger = new FakeLedger();
      await importDonations(options(ledger, rows));
      expect(ledger.calls[0]!.batch.map((d) => d.evidenceHash)).to.deep.equal([
        keccak256(toUtf8Bytes("the bank slip")),
        ZeroHash,
      ]);
    });
  });
});
