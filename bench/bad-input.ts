/**
 * Bad-input corpus for the CLI commands that read a file or a number: malformed CSV/XLSX, wrong
 * encodings, a huge file, negative, overflowing and over-precise amounts, unknown ids, the wrong role.
 * Each case runs the command as a user would (`npx hardhat … --network localhost`, against an Anvil
 * this bench starts) and passes when it exits 1 with a clear error (one `Error:` line or row errors
 * naming line and field, no stack trace) and wrote nothing: no new block, no receipts file.
 *
 *   tsx bench/bad-input.ts
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import ExcelJS from "exceljs";

import { DEV_RELIEF_SECRET } from "../src/relief/key.js";
import { writeResult } from "./lib/common.js";
import { type Run, startBenchChain } from "./lib/chain.js";

const started = Date.now();
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const HOSPITAL = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const PRODUCER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const FINANCE = "0xBcd4042DE499D14e55001CcbB24a551F3b954096";
const VILLAGE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
const HASH = "0x" + "11".repeat(32);
const PROJECT = "BENCH-BAD-2026";
const PROGRAMME = "BENCH-BAD-IND";
const GTIN = "6901234501018";

process.env.ZHIXIN_RELIEF_SECRET = DEV_RELIEF_SECRET;
const dir = await mkdtemp(join(tmpdir(), "zhixin-bench-bad-"));
const chain = await startBenchChain(50 + Math.floor(Math.random() * 50));
const file = async (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};
const must = (r: Run, what: string) => {
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr}`);
};
const errorLines = (r: Run) => r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));

interface Case {
  readonly command: string;
  readonly input: string;
  readonly args: () => Promise<string[]>;
  /** A file the command would write if it went ahead (the receipts file). */
  readonly writes?: string;
  /** Blocks the case may write: a file whose other rows are valid has them recorded (row-level import). */
  readonly allowBlocks?: number;
  readonly note?: string;
}

const HEADER = "流水号,项目,金额,捐赠人,渠道\n";
const row = (amount: string, project = PROJECT, ref = "BAD-1") => `${ref},${project},${amount},测试捐赠人,微信\n`;
const receipts = (name: string) => join(dir, `${name}-receipts.csv`);
const importCase = (input: string, name: string, content: () => Promise<string | Buffer>, ext = "csv"): Case => ({
  command: "charity import",
  input,
  writes: receipts(name),
  args: async () => [
    "charity",
    "import",
    await file(`${name}.${ext}`, await content()),
    "--receipts",
    receipts(name),
    "--from",
    CHARITY,
  ],
});
const xlsx = async (rows: (string | number)[][]) => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("捐赠");
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
};
// "流水号,项目,金额" in GBK, as Excel on a Chinese Windows saves "CSV".
const GBK_HEADER = Buffer.from("c1f7cbaebac52cc9eec4bf2cbdf0b6ee0a", "hex");

/** A file of the made-up corpus in test/fixtures/imports/ (see make.ts there), imported as a clerk would. */
const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "imports");
const corpusCase = (input: string, name: string, fileName: string, ...more: string[]): Case => ({
  command: "charity import",
  input,
  writes: receipts(name),
  args: async () => [
    "charity",
    "import",
    join(CORPUS, fileName),
    "--receipts",
    receipts(name),
    "--project",
    PROJECT,
    ...more,
    "--from",
    CHARITY,
  ],
});
const rollCase = (input: string, fileName: string, ...more: string[]): Case => ({
  command: "relief beneficiary import",
  input,
  args: async () => ["relief", "beneficiary", "import", join(CORPUS, fileName), ...more, "--from", VILLAGE],
});

const cases: Case[] = [
  corpusCase("99公益 export with an 已退款 row", "gongyi99", "gongyi99.csv"),
  corpusCase(
    "微信支付 merchant bill with a REFUND row",
    "wechat-merchant",
    "wechat-merchant.csv",
    "--channel",
    "wechat",
  ),
  corpusCase("微信 收款码 bill with 已全额退款 and 支出 rows", "wechat-qr", "wechat-qr.csv", "--channel", "wechat"),
  corpusCase("支付宝 账务明细 with a 支出 row", "alipay", "alipay.csv", "--channel", "alipay"),
  corpusCase("建设银行 statement with a debit and a 合计 row", "ccb", "ccb.xlsx", "--channel", "bank"),
  corpusCase("workbook with two sheets of donations", "workbook", "workbook.xlsx"),
  corpusCase(
    "workbook: 合计, hidden 待核, struck 已退回 rows and an unrounded formula",
    "workbook-all",
    "workbook.xlsx",
    "--sheet",
    "all",
  ),
  corpusCase("amount column in 美元", "usd", "usd-header.csv"),
  corpusCase("hand-kept list with a date without a year", "handkept", "handkept.csv"),
  rollCase("village roll with two sheets", "village-roll.xlsx"),
  rollCase("village roll: truncated, 15-digit and spaced ID numbers", "village-roll.xlsx", "--sheet", "all"),
  rollCase("roll CSV with an ID number Excel truncated (…000)", "village-roll.csv"),
  importCase("malformed CSV (unclosed quote)", "unclosed", async () => HEADER + `"BAD-1,${PROJECT},10,某人,微信\n`),
  importCase("CSV saved as GBK", "gbk", async () => Buffer.concat([GBK_HEADER, Buffer.from(`BAD-1,${PROJECT},10\n`)])),
  importCase("CSV saved as UTF-16 with BOM", "utf16", async () =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + row("10"), "utf16le")]),
  ),
  importCase("binary file named .csv", "binary", async () =>
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
  ),
  importCase("empty file", "empty", async () => ""),
  importCase("header only", "header-only", async () => HEADER),
  importCase("missing amount column", "no-amount", async () => "流水号,项目\nBAD-1," + PROJECT + "\n"),
  importCase(
    "huge file (51 MB)",
    "huge",
    async () => HEADER + row("10").repeat(Math.ceil((51 * 2 ** 20) / row("10").length)),
  ),
  importCase("negative amount", "negative", async () => HEADER + row("-10")),
  importCase("zero amount", "zero", async () => HEADER + row("0")),
  importCase("overflowing amount", "overflow", async () => HEADER + row("99999999999999999999999999999999999999")),
  importCase("three-decimal amount", "three-decimals", async () => HEADER + row("12.345")),
  importCase("amount in exponent form", "exponent", async () => HEADER + row("1e5")),
  importCase("non-numeric amount", "nan", async () => HEADER + row("十元")),
  importCase("unknown project", "unknown-project", async () => HEADER + row("10", "NO-SUCH-PROJECT")),
  {
    ...importCase("the same ref twice", "duplicate", async () => HEADER + row("10") + row("10")),
    note: "the first row is valid, but a refused row stops the whole file unless --skip-refused",
  },
  importCase("unknown channel", "channel", async () => HEADER + `BAD-1,${PROJECT},10,某人,比特币\n`),
  importCase(
    "malformed XLSX (not a zip)",
    "broken",
    async () => Buffer.from("PK\u0003\u0004 this is not a workbook"),
    "xlsx",
  ),
  importCase(
    "XLSX with a three-decimal amount",
    "xlsx-decimals",
    () =>
      xlsx([
        ["流水号", "项目", "金额"],
        ["BAD-1", PROJECT, 12.345],
      ]),
    "xlsx",
  ),
  importCase(
    "XLSX with a negative amount",
    "xlsx-negative",
    () =>
      xlsx([
        ["流水号", "项目", "金额"],
        ["BAD-1", PROJECT, -5],
      ]),
    "xlsx",
  ),
  {
    command: "charity import",
    input: "file does not exist",
    writes: receipts("missing"),
    args: async () => [
      "charity",
      "import",
      join(dir, "no-such.csv"),
      "--receipts",
      receipts("missing"),
      "--from",
      CHARITY,
    ],
  },
  ...["0", "-1", "501", "1.5", "abc"].map((n): Case => ({
    command: "charity import --batch-size",
    input: `--batch-size ${n}`,
    writes: receipts(`batch-${n}`),
    args: async () => [
      "charity",
      "import",
      await file(`batch-${n}.csv`, HEADER + row("10")),
      "--batch-size",
      n,
      "--receipts",
      receipts(`batch-${n}`),
      "--from",
      CHARITY,
    ],
  })),
  {
    command: "charity import",
    input: "wrong role (the hospital imports)",
    writes: receipts("role"),
    args: async () => [
      "charity",
      "import",
      await file("role.csv", HEADER + row("10")),
      "--receipts",
      receipts("role"),
      "--from",
      HOSPITAL,
    ],
  },
  ...["-10", "12.345", "99999999999999999999999999999999999999", "0", "1e3"].map((amount): Case => ({
    command: "charity donate --amount",
    input: `--amount ${amount}`,
    writes: receipts(`donate-${amount}`),
    args: async () => [
      "charity",
      "donate",
      PROJECT,
      "--ref",
      "BAD-DONATE",
      "--amount",
      amount,
      "--receipts",
      receipts(`donate-${amount}`),
      "--from",
      CHARITY,
    ],
  })),
  {
    command: "charity donate",
    input: "wrong role (the hospital donates)",
    writes: receipts("donate-role"),
    args: async () => [
      "charity",
      "donate",
      PROJECT,
      "--ref",
      "BAD-DONATE",
      "--amount",
      "10",
      "--receipts",
      receipts("donate-role"),
      "--from",
      HOSPITAL,
    ],
  },
  ...["-5", "0.001", "1,000,000,000", "abc"].map((amount): Case => ({
    command: "charity disburse --amount",
    input: `--amount ${amount}`,
    args: async () => ["charity", "disburse", PROJECT, "--to", "江门市中心医院", "--amount", amount, "--from", CHARITY],
  })),
  {
    command: "charity disburse",
    input: "wrong role (civil affairs pays out)",
    args: async () => [
      "charity",
      "disburse",
      PROJECT,
      "--to",
      "江门市中心医院",
      "--amount",
      "1",
      "--from",
      CIVIL_AFFAIRS,
    ],
  },
  {
    command: "charity disburse",
    input: "unknown recipient",
    args: async () => ["charity", "disburse", PROJECT, "--to", "不存在的医院", "--amount", "1", "--from", CHARITY],
  },
  ...["-1", "1.001", "99999999999999999999999999999999"].map((target): Case => ({
    command: "charity project propose --target",
    input: `--target ${target}`,
    args: async () => [
      "charity",
      "project",
      "propose",
      `BENCH-BAD-T${target.length}`,
      "--target",
      target,
      "--permit-hash",
      HASH,
      "--from",
      CHARITY,
    ],
  })),
  {
    command: "charity confirm",
    input: "unknown disbursement id",
    args: async () => ["charity", "confirm", "0x" + "ab".repeat(32), "--from", HOSPITAL],
  },
  {
    command: "charity confirm",
    input: "malformed id",
    args: async () => ["charity", "confirm", "0x1234", "--from", HOSPITAL],
  },
  {
    command: "charity project propose",
    input: "--permit-file that does not exist",
    args: async () => [
      "charity",
      "project",
      "propose",
      "BENCH-BAD-FILE",
      "--target",
      "100",
      "--permit-file",
      join(dir, "no-permit.pdf"),
      "--from",
      CHARITY,
    ],
  },
  ...["-1", "1.0001", "0", "1e3"].map((q): Case => ({
    command: "trace batch commission --quantity",
    input: `--quantity ${q}`,
    args: async () => [
      "trace",
      "batch",
      "commission",
      GTIN,
      `BAD-Q${q.length}`,
      "--quantity",
      q,
      "--unit",
      "kg",
      "--location",
      "6901234590012",
      "--from",
      PRODUCER,
    ],
  })),
  {
    command: "trace batch commission",
    input: "wrong role (a charity commissions)",
    args: async () => [
      "trace",
      "batch",
      "commission",
      GTIN,
      "BAD-ROLE",
      "--quantity",
      "10",
      "--unit",
      "kg",
      "--location",
      "6901234590012",
      "--from",
      CHARITY,
    ],
  },
  {
    command: "trace batch commission",
    input: "unknown product (bad GTIN check digit)",
    args: async () => [
      "trace",
      "batch",
      "commission",
      "6901234501019",
      "BAD-GTIN",
      "--quantity",
      "10",
      "--unit",
      "kg",
      "--location",
      "6901234590012",
      "--from",
      PRODUCER,
    ],
  },
  {
    command: "trace accept",
    input: "unknown batch",
    args: async () => ["trace", "accept", `${GTIN}/NO-SUCH-LOT`, "--from", PRODUCER],
  },
  ...["-5", "0.001", "99999999999999999999999999999999"].map((amount): Case => ({
    command: "relief allocate --amount",
    input: `--amount ${amount}`,
    args: async () => [
      "relief",
      "allocate",
      PROGRAMME,
      "--to",
      "江门市乡村振兴局",
      "--amount",
      amount,
      "--document-hash",
      HASH,
      "--from",
      FINANCE,
    ],
  })),
  {
    command: "relief allocate",
    input: "wrong role (a charity allocates)",
    args: async () => [
      "relief",
      "allocate",
      PROGRAMME,
      "--to",
      "江门市乡村振兴局",
      "--amount",
      "10",
      "--document-hash",
      HASH,
      "--from",
      CHARITY,
    ],
  },
  {
    command: "relief allocate",
    input: "unknown programme",
    args: async () => [
      "relief",
      "allocate",
      "NO-SUCH-PROGRAMME",
      "--to",
      "江门市乡村振兴局",
      "--amount",
      "10",
      "--document-hash",
      HASH,
      "--from",
      FINANCE,
    ],
  },
  {
    command: "relief beneficiary register",
    input: "ID number with a wrong check character",
    args: async () => [
      "relief",
      "beneficiary",
      "register",
      "--id-number",
      "440781195001010011",
      "--household",
      "BAD-0001",
      "--from",
      VILLAGE,
    ],
  },
  {
    command: "relief beneficiary import",
    input: "CSV with bad ID numbers only",
    args: async () => [
      "relief",
      "beneficiary",
      "import",
      await file("roll.csv", "身份证号,户编号\n440781195001010011,BAD-0001\n12345,BAD-0002\n"),
      "--from",
      VILLAGE,
    ],
  },
  {
    command: "relief beneficiary import",
    input: "malformed XLSX",
    args: async () => [
      "relief",
      "beneficiary",
      "import",
      await file("roll.xlsx", Buffer.from("not a workbook")),
      "--from",
      VILLAGE,
    ],
  },
  {
    command: "relief beneficiary import",
    input: "CSV saved as GBK",
    args: async () => [
      "relief",
      "beneficiary",
      "import",
      await file("roll-gbk.csv", Buffer.from("c9edb7ddd6a4bac52cbba7b1e0bac50a", "hex")),
      "--from",
      VILLAGE,
    ],
  },
];

const exists = async (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

try {
  console.log(`chain ${chain.chainId}; deploying and setting up`);
  must(await chain.hardhat(["run", "scripts/deploy-local.ts"]), "deploy");
  must(
    await chain.hardhat([
      "charity",
      "project",
      "propose",
      PROJECT,
      "--target",
      "1,000,000",
      "--permit-hash",
      HASH,
      "--from",
      CHARITY,
    ]),
    "propose",
  );
  must(await chain.hardhat(["charity", "project", "approve", PROJECT, "--from", CIVIL_AFFAIRS]), "approve");
  must(
    await chain.hardhat(["trace", "product", "register", GTIN, "--category", "agricultural", "--from", PRODUCER]),
    "product",
  );
  must(
    await chain.hardhat([
      "relief",
      "programme",
      "create",
      PROGRAMME,
      "--category",
      "industry",
      "--year",
      "2026",
      "--budget",
      "800000",
      "--cap",
      "3000",
      "--requires",
      "lifted-from-poverty",
      "--document-hash",
      HASH,
      "--from",
      FINANCE,
    ]),
    "programme",
  );

  const results = [];
  for (const c of cases) {
    const args = await c.args();
    const before = await chain.provider().getBlockNumber();
    const r = await chain.hardhat(args);
    const after = await chain.provider().getBlockNumber();
    const lines = errorLines(r);
    const stack = lines.some((l) => /^\s+at /.test(l));
    // Clear: an `Error…` line (the CLI's own, or Hardhat's argument parser's) or row errors by line, no stack
    // trace, no "unexpected error".
    const clear =
      !stack &&
      !/unexpected error/i.test(r.stderr) &&
      lines.some((l) => /^Error[: ]/.test(l) || /^(?:sheet "[^"]*" )?line \d+, /.test(l));
    const wroteFile = c.writes !== undefined && (await exists(c.writes));
    const ok = r.code === 1 && clear && after - before <= (c.allowBlocks ?? 0) && !wroteFile;
    const message =
      lines.find((l) => /^Error[: ]|^(?:sheet "[^"]*" )?line \d+, /.test(l)) ??
      lines[0] ??
      r.stdout.trim().split("\n").pop() ??
      "";
    results.push({
      command: c.command,
      input: c.input,
      exit: r.code,
      clear,
      blocksWritten: after - before,
      wroteFile,
      pass: ok,
      ...(c.note !== undefined ? { note: c.note } : {}),
      message: message.length > 220 ? message.slice(0, 217) + "…" : message,
    });
    console.log(`${ok ? "pass" : "FAIL"}  ${c.command} · ${c.input}: ${message.slice(0, 140)}`);
  }
  const path = await writeResult("bad-input", started, {
    cases: results.length,
    passed: results.filter((r) => r.pass).length,
    results,
  });
  console.log(`${results.filter((r) => r.pass).length} of ${results.length} cases pass; written ${path}`);
} finally {
  await chain.dispose();
  await rm(dir, { recursive: true, force: true });
}
