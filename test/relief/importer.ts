/**
 * Importing a beneficiary list (CSV or XLSX) into the relief ledger on the in-process network, with
 * the sample deployment: a village registers its roll, civil affairs attests. Files are written to a
 * temporary folder by each test; identity numbers are synthetic (valid check characters).
 */
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import ExcelJS from "exceljs";
import { keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { LedgerError } from "../../src/errors.js";
import { findPiiInText, scanChainForPii, scanChainForTexts } from "../../src/dev/pii.js";
import { ATTESTATIONS } from "../../src/relief/attestations.js";
import {
  formatRowError,
  maskName,
  readBeneficiaryFile,
  type BeneficiaryFileMode,
  type RowError,
} from "../../src/relief/beneficiary-file.js";
import {
  importBeneficiaries,
  reliefChainAccess,
  requireImportRole,
  type ImportOptions,
  type ImportResult,
  type ReliefWrite,
} from "../../src/relief/importer.js";
import {
  DEV_RELIEF_SECRET,
  beneficiaryKey,
  householdHash,
  idCheckChar,
  maskIdNumber,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import type { Deployment } from "../../src/deployment.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/** The sample villages (deploy/organisations/jiangmen.json) and civil affairs (deploy/parameters/dev.json). */
const FUSHI_VILLAGE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
const SHEN_VILLAGE = "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec";
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const SECRET = parseReliefSecret(DEV_RELIEF_SECRET);
const MINIMUM_LIVING = ATTESTATIONS.find((a) => a.label === "MINIMUM_LIVING_ALLOWANCE")!.kind;
const EXTREME_HARDSHIP = ATTESTATIONS.find((a) => a.label === "EXTREME_HARDSHIP")!.kind;

/** Every identity number the tests made: none may appear in an error message. */
const made = new Set<string>();

/** A valid synthetic identity number: 台山 (440781), the birth date given, sequence `seq`. */
function idNumber(seq: number, birth = "19620315"): string {
  const first17 = `440781${birth}${String(seq).padStart(3, "0")}`;
  const id = first17 + idCheckChar(first17);
  made.add(id);
  return id;
}

/** The same number with a wrong check character. */
function withWrongCheck(id: string): string {
  const wrong = "10X98765432".split("").find((c) => c !== id[17])!;
  return id.slice(0, 17) + wrong;
}

const key = (id: string) => beneficiaryKey(SECRET, id);

describe("relief beneficiary import", function () {
  this.timeout(60_000);
  let dir: string;
  /** Every error message any test produced: none may carry an identity number. */
  const messages: string[] = [];

  async function deployedFixture() {
    const d = await deployWithSamples(connection, () => {});
    const overrides = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    return { d, overrides };
  }

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), "zhixin-relief-import-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    for (const m of String(content).matchAll(/\d{17}[\dX]/g)) made.add(m[0]);
    return path;
  }

  /** The household record of the i-th row of {@link csv}: one household per two people. */
  const household = (i: number) => `TS-DS-${String(Math.floor(i / 2)).padStart(4, "0")}`;

  /** A CSV of the given ID numbers, English headers. */
  function csv(ids: readonly string[]): string {
    const lines = ["idNumber,name,household"];
    ids.forEach((id, i) => lines.push(`${id},村民${"甲乙丙丁戊己庚辛壬癸"[i % 10]},${household(i)}`));
    return lines.join("\n") + "\n";
  }

  function record(result: { errors: readonly RowError[] }) {
    messages.push(...result.errors.map(formatRowError));
    return result;
  }

  async function importAs(
    d: Deployment,
    overrides: Awaited<ReturnType<typeof deployedFixture>>["overrides"],
    account: string,
    path: string,
    extra: Partial<ImportOptions> & { mode?: BeneficiaryFileMode; wrapSubmit?: (w: ReliefWrite) => void } = {},
  ): Promise<ImportResult & { fileErrors: RowError[]; sent: ReliefWrite[] }> {
    const mode = extra.mode ?? (extra.attest === undefined ? "register" : "attest");
    const { rows, errors: fileErrors } = await readBeneficiaryFile(path, mode);
    record({ errors: fileErrors });
    const signer = await ethers.getSigner(account);
    const chain = reliefChainAccess(d, signer, overrides);
    const sent: ReliefWrite[] = [];
    const result = await importBeneficiaries({
      rows,
      secret: SECRET,
      account,
      ...chain,
      submit: async (w) => {
        extra.wrapSubmit?.(w);
        const r = await chain.submit(w);
        sent.push(w);
        return r;
      },
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "mode" && k !== "wrapSubmit")),
    });
    record(result);
    return { ...result, fileErrors, sent };
  }

  async function villageOf(d: Deployment, id: string): Promise<string> {
    return (await d.relief!.beneficiary(key(id))).village;
  }

  async function registrations(d: Deployment): Promise<Map<string, number>> {
    const logs = await d.relief!.queryFilter(d.relief!.filters.BeneficiaryRegistered());
    const count = new Map<string, number>();
    for (const l of logs) count.set(l.args.key, (count.get(l.args.key) ?? 0) + 1);
    return count;
  }

  it("registers a village's roll from a CSV, only keys and household hashes on chain, with progress", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = [idNumber(1), idNumber(2), idNumber(3, "19881102"), idNumber(4, "20010704")];
    // Lower-case x and full-width digits are written by people too.
    const lastX = Array.from({ length: 200 }, (_, i) => idNumber(10 + i)).find((id) => id.endsWith("X"))!;
    ids.push(lastX);
    const text = csv(ids).replace(lastX, lastX.slice(0, 17).replace("4", "４") + "x");
    const path = await file("roll.csv", "\ufeff" + text.replace(/\n/g, "\r\n"));
    const progress: [number, number][] = [];
    const result = await importAs(d, overrides, FUSHI_VILLAGE, path, {
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.fileErrors).to.deep.equal([]);
    expect(result).to.include({ mode: "register", total: 5, registered: 5, attested: 0, skipped: 0, refused: 0 });
    expect(result.errors).to.deep.equal([]);
    expect(result.txHashes).to.have.length(5);
    expect(progress).to.deep.equal([
      [0, 5],
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    for (const id of ids) expect(await villageOf(d, id)).to.equal(FUSHI_VILLAGE);
    const logs = await d.relief!.queryFilter(d.relief!.filters.BeneficiaryRegistered());
    expect(logs.map((l) => [l.args.key, l.args.village, l.args.householdHash])).to.deep.equal(
      ids.map((id, i) => [key(id), FUSHI_VILLAGE, householdHash(SECRET, household(i))]),
    );
    // Nothing personal went on chain: no ID number, no name.
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
    expect(await scanChainForTexts(ethers.provider, ["村民甲", "村民乙", "甲", ...ids])).to.deep.equal([]);
  });

  it("reads Chinese headers under a title row, and an XLSX file with numbers and text", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = [idNumber(21), idNumber(22), idNumber(23)];
    const csvPath = await file(
      "花名册.csv",
      [
        "台山市斗山镇浮石村 建档立卡花名册,,",
        ",,",
        "姓名,身份证号码（18位）,户编号",
        `张三,${ids[0]},FS-001`,
        `李四,${ids[1]},FS-001`,
      ].join("\n"),
    );
    const fromCsv = await importAs(d, overrides, FUSHI_VILLAGE, csvPath);
    expect(fromCsv).to.include({ registered: 2, refused: 0 });
    expect(fromCsv.sent.map((w) => w.line)).to.deep.equal([4, 5]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("花名册");
    sheet.addRow(["身份证号", "姓名", "户编号", "认定类型"]);
    sheet.addRow([ids[0], "张三", "FS-001", "最低生活保障对象"]);
    sheet.addRow([ids[2], "王五", 10023, "minimum-living-allowance"]);
    sheet.addRow([]);
    sheet.addRow([Number(idNumber(24)), "赵六", "FS-003", null]); // a number: Excel kept 15 digits of it
    sheet.addRow([idNumber(25), "钱七", "FS-004", "特困"]);
    const xlsx = join(dir, "花名册.xlsx");
    await workbook.xlsx.writeFile(xlsx);

    const { rows, errors } = await readBeneficiaryFile(xlsx);
    record({ errors });
    expect(rows.map((r) => [r.line, r.maskedId, r.household, r.attestation])).to.deep.equal([
      [2, maskIdNumber(ids[0]!), "FS-001", MINIMUM_LIVING],
      [3, maskIdNumber(ids[2]!), "10023", MINIMUM_LIVING],
    ]);
    expect(errors.map((e) => [e.line, e.field])).to.deep.equal([
      [5, "idNumber"],
      [6, "attestation"],
    ]);
    expect(errors[0]!.reason).to.match(/^Excel kept only 15 digits/);
    expect(errors[0]!.value).to.match(/^440781\*{8}\d{3}[\dX]$/);
    expect(errors[1]!.reason).to.match(/^unknown: use one of minimum-living-allowance/);

    const fromXlsx = await importAs(d, overrides, FUSHI_VILLAGE, xlsx);
    expect(fromXlsx).to.include({ total: 2, registered: 1, skipped: 1, refused: 0 });
    expect(await villageOf(d, ids[2]!)).to.equal(FUSHI_VILLAGE);
  });

  it("refuses bad rows by line, field and masked value, and sends nothing for them", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    await file("ok.pdf", "certificate");
    const good = [idNumber(31), idNumber(32), idNumber(33)];
    const badCheck = withWrongCheck(idNumber(34));
    const badDate = (() => {
      const first17 = "44078119900230" + "123";
      return first17 + idCheckChar(first17);
    })();
    const path = await file(
      "bad.csv",
      [
        /* 1 */ "身份证号,姓名,户编号,证明文件,认定类型",
        /* 2 */ `${good[0]},张三,FS-1,ok.pdf,`,
        /* 3 */ `${badCheck},李四,FS-1,,`,
        /* 4 */ `${badDate},王五,FS-2,,`,
        /* 5 */ `${good[1]},赵六,,,`,
        /* 6 */ `${good[0]},张三,FS-1,,`,
        /* 7 */ `${good[2]},${good[1]},FS-3,,`,
        /* 8 */ `12345,钱七,FS-4,,`,
        /* 9 */ `4.40781E+17,孙八,FS-4,,`,
        /* 10 */ `,,,,`,
        /* 11 */ `${idNumber(35)},周九,FS-5,missing.pdf,`,
        /* 12 */ `${idNumber(36)},吴十,4.40781E+15,,低保`,
      ].join("\n"),
    );
    const before = await ethers.provider.getBlockNumber();
    const result = await importAs(d, overrides, FUSHI_VILLAGE, path);
    const brief = (e: RowError) => [e.line, e.field, e.value];
    expect(result.fileErrors.map(brief)).to.deep.equal([
      [3, "idNumber", maskIdNumber(badCheck)],
      [4, "idNumber", maskIdNumber(badDate)],
      [5, "household", ""],
      [6, "idNumber", maskIdNumber(good[0]!)],
      [7, "name", maskName(good[1]!)],
      [8, "idNumber", "*****"],
      [9, "idNumber", maskIdNumber("4.40781E+17")],
      [11, "evidence", "missing.pdf"],
      [12, "household", "4.40781E+15"],
      [12, "attestation", "低保"],
    ]);
    const reason = (line: number, field: string) =>
      result.fileErrors.find((e) => e.line === line && e.field === field)!.reason;
    expect(reason(3, "idNumber")).to.equal("the check character does not match");
    expect(reason(4, "idNumber")).to.equal("the birth date in it is not a real date");
    expect(reason(5, "household")).to.match(/^is empty: registering a beneficiary needs the household record/);
    expect(reason(6, "idNumber")).to.equal("duplicate: the same ID number is on line 2");
    expect(reason(7, "name")).to.match(/has digits in it/);
    expect(reason(8, "idNumber")).to.equal("must be 18 characters, got 5");
    expect(reason(9, "idNumber")).to.match(/scientific notation/);
    expect(reason(11, "evidence")).to.equal(`file not found: ${join(dir, "missing.pdf")}`);
    expect(formatRowError(result.fileErrors[0]!)).to.equal(
      `line 3, idNumber "${maskIdNumber(badCheck)}": the check character does not match`,
    );

    expect(result).to.include({ total: 1, registered: 1, refused: 0 });
    expect(result.sent.map((w) => w.key)).to.deep.equal([key(good[0]!)]);
    expect(await ethers.provider.getBlockNumber()).to.equal(before + 1);
    for (const id of [good[1]!, good[2]!, idNumber(35), idNumber(36)]) {
      expect(await villageOf(d, id)).to.equal(ethers.ZeroAddress);
    }
  });

  it("refuses files it cannot use: GBK, a missing column, over 20 MB", async function () {
    const gbk = await file(
      "gbk.csv",
      Buffer.concat([
        Buffer.from(`idNumber,household,name\n${idNumber(41)},FS-1,`),
        Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三 in GBK
        Buffer.from("\n"),
      ]),
    );
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail("the file was read"),
        (e: unknown) => {
          expect(e).to.be.instanceOf(LedgerError);
          messages.push((e as Error).message);
          return (e as Error).message;
        },
      );
    expect(await failure(readBeneficiaryFile(gbk))).to.match(
      /is not UTF-8 \(first bad bytes on line 2\).*GBK.*CSV UTF-8/,
    );

    // A roll without 户编号 is read: each row's household is derived from the ID number (README).
    const noHousehold = await file("nohousehold.csv", `身份证号,姓名\n${idNumber(42)},张三\n`);
    const derived = await readBeneficiaryFile(noHousehold);
    expect(derived.rows.map((r) => r.household)).to.deep.equal([`户主身份证号:${idNumber(42)}`]);
    expect(await failure(readBeneficiaryFile(noHousehold, "attest"))).to.include('missing column "evidence"');
    const noId = await file("noid.csv", "姓名,户编号\n张三,FS-1\n");
    expect(await failure(readBeneficiaryFile(noId))).to.include('missing column "idNumber"');

    const big = await file("big.csv", "idNumber,household\n");
    await truncate(big, 20 * 1024 * 1024 + 1);
    expect(await failure(readBeneficiaryFile(big))).to.match(/beneficiary files over 20 MB are refused/);
  });

  it("sends nothing on a second run, and finishes a run killed half-way with nothing sent twice", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = Array.from({ length: 8 }, (_, i) => idNumber(50 + i));
    const path = await file("roll.csv", csv(ids));

    let calls = 0;
    const killed = await importAs(d, overrides, FUSHI_VILLAGE, path, {
      wrapSubmit: () => {
        if (++calls === 4) throw new Error("killed");
      },
    }).then(
      () => expect.fail("the run was not killed"),
      (e: unknown) => e as Error,
    );
    expect(killed.message).to.equal("killed");
    expect((await registrations(d)).size).to.equal(3);

    const second = await importAs(d, overrides, FUSHI_VILLAGE, path);
    expect(second).to.include({ total: 8, registered: 5, skipped: 3, refused: 0 });
    expect(second.sent.map((w) => w.line)).to.deep.equal([5, 6, 7, 8, 9]);

    const block = await ethers.provider.getBlockNumber();
    const third = await importAs(d, overrides, FUSHI_VILLAGE, path);
    expect(third).to.include({ total: 8, registered: 0, skipped: 8, refused: 0 });
    expect(third.txHashes).to.deep.equal([]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);

    const count = await registrations(d);
    expect([...count.keys()].sort()).to.deep.equal(ids.map(key).sort());
    expect([...count.values()].every((n) => n === 1)).to.equal(true);
  });

  it("lets two importers run on the same file at once: each key registered once", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = Array.from({ length: 6 }, (_, i) => idNumber(60 + i));
    const path = await file("roll.csv", csv(ids));
    const [a, b] = await Promise.all([
      importAs(d, overrides, FUSHI_VILLAGE, path),
      importAs(d, overrides, FUSHI_VILLAGE, path),
    ]);
    expect(a.registered + b.registered).to.equal(6);
    expect(a.skipped + b.skipped).to.equal(6);
    expect(a.errors.concat(b.errors)).to.deep.equal([]);
    const count = await registrations(d);
    expect(count.size).to.equal(6);
    expect([...count.values()].every((n) => n === 1)).to.equal(true);
  });

  it("refuses a key another village registered, naming that village", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = [idNumber(71), idNumber(72), idNumber(73)];
    const theirs = await file("shen.csv", csv([ids[1]!]));
    expect(await importAs(d, overrides, SHEN_VILLAGE, theirs)).to.include({ registered: 1 });

    const path = await file("fushi.csv", csv(ids));
    // A refused row stops the whole import: nothing sent.
    const stopped = await importAs(d, overrides, FUSHI_VILLAGE, path);
    expect(stopped).to.include({ stopped: true, registered: 0, toSend: 2, refused: 1 });
    expect(await villageOf(d, ids[0]!)).to.equal(ethers.ZeroAddress);
    const result = await importAs(d, overrides, FUSHI_VILLAGE, path, {
      nameOf: (a) => (a === SHEN_VILLAGE ? "台山市都斛镇莘村村民委员会" : a),
      skipRefused: true,
    });
    expect(result).to.include({ total: 2, registered: 2, skipped: 0, refused: 1 });
    expect(result.errors).to.deep.equal([
      {
        line: 3,
        field: "idNumber",
        value: maskIdNumber(ids[1]!),
        reason: `registered by another village: ${SHEN_VILLAGE} (台山市都斛镇莘村村民委员会)`,
      },
    ]);
    expect(await villageOf(d, ids[1]!)).to.equal(SHEN_VILLAGE);
    expect(await villageOf(d, ids[0]!)).to.equal(FUSHI_VILLAGE);
  });

  it("attests as civil affairs: evidence hashed, attested rows skipped, unregistered rows refused", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = Array.from({ length: 5 }, (_, i) => idNumber(80 + i));
    const unregistered = idNumber(89);
    await importAs(d, overrides, FUSHI_VILLAGE, await file("roll.csv", csv(ids)));

    await file("dibao-80.pdf", "低保证 80");
    await file("dibao-81.pdf", "低保证 81");
    await file("shared.pdf", "审批表");
    const path = await file(
      "低保.csv",
      [
        /* 1 */ "身份证号,姓名,证明文件,认定类型",
        /* 2 */ `${ids[0]},张三,dibao-80.pdf,最低生活保障对象`,
        /* 3 */ `${ids[1]},李四,dibao-81.pdf,`,
        /* 4 */ `${ids[2]},王五,shared.pdf,minimum-living-allowance`,
        /* 5 */ `${unregistered},赵六,shared.pdf,`,
        /* 6 */ `${ids[3]},钱七,shared.pdf,特困供养人员`,
        /* 7 */ `${ids[4]},孙八,,`,
      ].join("\n"),
    );
    const first = await importAs(d, overrides, CIVIL_AFFAIRS, path, {
      attest: MINIMUM_LIVING,
      onProgress: () => {},
      skipRefused: true,
    });
    expect(first.fileErrors.map((e) => [e.line, e.field])).to.deep.equal([[7, "evidence"]]);
    expect(first).to.include({ mode: "attest", total: 3, attested: 3, registered: 0, skipped: 0, refused: 2 });
    expect(first.errors.map((e) => [e.line, e.field, e.value])).to.deep.equal([
      [5, "idNumber", maskIdNumber(unregistered)],
      [6, "attestation", "特困供养人员"],
    ]);
    expect(first.errors[0]!.reason).to.match(/^not registered: its village must register/);
    expect(first.errors[1]!.reason).to.match(/this row is for extreme-hardship support.*--attest/);

    const logs = await d.relief!.queryFilter(d.relief!.filters.Attested());
    expect(logs.map((l) => [l.args.key, Number(l.args.kind), l.args.by, l.args.evidenceHash])).to.deep.equal([
      [key(ids[0]!), MINIMUM_LIVING, CIVIL_AFFAIRS, keccak256(toUtf8Bytes("低保证 80"))],
      [key(ids[1]!), MINIMUM_LIVING, CIVIL_AFFAIRS, keccak256(toUtf8Bytes("低保证 81"))],
      [key(ids[2]!), MINIMUM_LIVING, CIVIL_AFFAIRS, keccak256(toUtf8Bytes("审批表"))],
    ]);
    for (const id of ids.slice(0, 3)) {
      expect(Number((await d.relief!.beneficiary(key(id))).attestations)).to.equal(1 << MINIMUM_LIVING);
    }

    // Fixed file: the three attested are skipped, the rest attested; another kind is separate.
    const fixed = await file(
      "低保-2.csv",
      ["身份证号,证明文件", ...ids.map((id, i) => `${id},${i < 2 ? `dibao-8${i}.pdf` : "shared.pdf"}`)].join("\n"),
    );
    const second = await importAs(d, overrides, CIVIL_AFFAIRS, fixed, { attest: MINIMUM_LIVING });
    expect(second).to.include({ total: 5, attested: 2, skipped: 3, refused: 0 });
    const hardship = await importAs(d, overrides, CIVIL_AFFAIRS, fixed, { attest: EXTREME_HARDSHIP });
    expect(hardship).to.include({ total: 5, attested: 5, skipped: 0, refused: 0 });
    const third = await importAs(d, overrides, CIVIL_AFFAIRS, fixed, { attest: MINIMUM_LIVING });
    expect(third).to.include({ total: 5, attested: 0, skipped: 5 });
    expect(third.txHashes).to.deep.equal([]);
    expect(Number((await d.relief!.beneficiary(key(ids[4]!))).attestations)).to.equal(
      (1 << MINIMUM_LIVING) | (1 << EXTREME_HARDSHIP),
    );
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
  });

  it("test_refusedRowStopsImport: a file error sends nothing unless skipRefused; a dry run reads the chain and sends nothing", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const ids = [idNumber(91), idNumber(92)];
    const path = await file("roll-bad.csv", csv(ids) + "440781194005152000,村民丙,TS-DS-9\n");
    const { rows, errors } = await readBeneficiaryFile(path);
    expect(errors.map((e) => [e.line, e.field, e.value])).to.deep.equal([[4, "idNumber", "440781********2000"]]);
    expect(errors[0]!.reason).to.match(/^Excel kept only 15 digits/);
    const before = await ethers.provider.getBlockNumber();
    const stopped = await importAs(d, overrides, FUSHI_VILLAGE, path, { fileErrors: errors });
    expect(stopped).to.include({ stopped: true, registered: 0, toSend: 2, refused: 1 });
    const dry = await importAs(d, overrides, FUSHI_VILLAGE, path, {
      fileErrors: errors,
      dryRun: true,
      skipRefused: true,
    });
    expect(dry).to.include({ stopped: true, registered: 0, toSend: 2 });
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
    const skipped = await importAs(d, overrides, FUSHI_VILLAGE, path, { fileErrors: errors, skipRefused: true });
    expect(skipped).to.include({ stopped: false, registered: 2, refused: 1 });
    expect(rows).to.have.length(2);
  });

  it("refuses an account without the role before reading any row", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(deployedFixture);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail("the account was let through"),
        (e: unknown) => {
          expect(e).to.be.instanceOf(LedgerError);
          return (e as Error).message;
        },
      );
    await requireImportRole(d, FUSHI_VILLAGE);
    await requireImportRole(d, CIVIL_AFFAIRS, MINIMUM_LIVING);
    expect(await refusal(requireImportRole(d, CIVIL_AFFAIRS))).to.equal(
      `registering beneficiaries needs role VILLAGE; ${CIVIL_AFFAIRS} holds CIVIL_AFFAIRS`,
    );
    expect(await refusal(requireImportRole(d, FUSHI_VILLAGE, MINIMUM_LIVING))).to.match(
      /^attesting minimum living allowance \(最低生活保障对象\) needs role CIVIL_AFFAIRS; 0xFABB.* holds VILLAGE$/,
    );
    // Without the check, the chain refuses the first row and the import stops there, nothing sent.
    const path = await file("roll.csv", csv([idNumber(91), idNumber(92)]));
    const message = await refusal(importAs(d, overrides, CIVIL_AFFAIRS, path));
    messages.push(message);
    expect(message).to.match(/^the chain refused: /);
    expect(await villageOf(d, idNumber(91))).to.equal(ethers.ZeroAddress);
  });

  it("never shows a full ID number in any error message", function () {
    if (messages.length === 0) this.skip(); // run alone: the other tests collect the messages
    const text = messages.join("\n");
    for (const id of made) {
      expect(text).to.not.include(id);
      expect(text).to.not.include(id.slice(0, 17));
    }
    expect(findPiiInText(text)).to.deep.equal([]);
    expect(text).to.include("440781********");
  });
});
