/**
 * The charity CLI against a real node (an Anvil this test starts): a project approved, a
 * spreadsheet imported with row-level errors and re-run without doubling, a disbursement
 * confirmed by the hospital, a trace by receipt code, a report file, a statistics report.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { scanChainForPii, scanChainForTexts } from "../../src/dev/pii.js";
import {
  SAMPLE_CHARITY,
  SAMPLE_CIVIL_AFFAIRS,
  deployWithApprovedProject,
  errorLines,
  startLocalChain,
  type LocalChain,
} from "../helpers/cli.js";

const CIVIL_AFFAIRS = SAMPLE_CIVIL_AFFAIRS;
const CHARITY = SAMPLE_CHARITY;
const HOSPITAL = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const PROJECT = "JM-CLI-2026";

describe("charity CLI on a local Anvil node", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let dir: string;
  const hardhat = (...args: string[]) => chain.hardhat(...args);

  before(async function () {
    chain = await startLocalChain(7550);
    dir = await mkdtemp(join(tmpdir(), "zhixin-charity-cli-"));
    await deployWithApprovedProject(chain, PROJECT);
  });

  after(async function () {
    await chain?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a donation from the wrong account before writing the donor's receipt", async function () {
    const receipts = join(dir, "donate-receipts.csv");
    const args = ["charity", "donate", PROJECT, "--ref", "DONATE-1", "--amount", "10", "--donor", "王五"];
    const refused = await hardhat(...args, "--receipts", receipts, "--from", HOSPITAL);
    expect(refused.code).to.equal(1);
    expect(errorLines(refused).join("\n")).to.match(/^Error: the chain refused/m);
    const kept = await readFile(receipts, "utf8").catch(() => "");
    expect(kept).not.to.include("DONATE-1");
    const done = await hardhat(...args, "--receipts", receipts, "--from", CHARITY);
    expect(done.code, done.stderr).to.equal(0);
    expect(await readFile(receipts, "utf8")).to.include("DONATE-1");
  });

  it("imports a spreadsheet all-or-nothing, refusing bad rows by line and field, and never doubles on a re-run or on a second PC", async function () {
    const rows = ["流水号,项目,金额,捐赠人,渠道"];
    for (let i = 0; i < 30; i++) rows.push(`CLI-${i},${PROJECT},"1,${String(i).padStart(3, "0")}.50",捐赠人${i},微信`);
    rows[5] = `CLI-4,${PROJECT},12.345,某人,微信`; // line 6: three decimals
    rows[9] = `CLI-8,NO-SUCH-PROJECT,10,某人,微信`; // line 10: unknown project
    const file = join(dir, "donations.csv");
    await writeFile(file, rows.join("\n") + "\n");
    const receipts = join(dir, "receipts.csv");
    const importFile = (...more: string[]) =>
      hardhat("charity", "import", file, "--receipts", receipts, "--batch-size", "10", "--from", CHARITY, ...more);

    // A refused row stops the whole file: nothing written, nothing sent.
    const first = await importFile();
    expect(first.code).to.equal(1);
    expect(first.stdout).to.match(/nothing sent; 28 donations would be recorded, ¥28,[0-9,.]+ .*; 2 rows refused/);
    const errors = errorLines(first).filter((l) => l.startsWith("line "));
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(/^line 6, amount "12\.345": .*2 decimal/);
    expect(errors[1]).to.match(/^line 10, project "NO-SUCH-PROJECT": no project NO-SUCH-PROJECT/);
    expect(await readFile(receipts, "utf8").catch(() => "none")).to.equal("none");

    const dry = await importFile("--dry-run", "--skip-refused");
    expect(dry.code).to.equal(1);
    expect(dry.stdout).to.match(/dry run: nothing sent; 28 donations would be recorded/);
    expect(await readFile(receipts, "utf8").catch(() => "none")).to.equal("none");

    const skipped = await importFile("--skip-refused");
    expect(skipped.code, skipped.stderr).to.equal(0);
    expect(skipped.stdout).to.match(/28 donations recorded, 0 already on chain, 2 rows refused/);

    const again = await importFile("--skip-refused");
    expect(again.stdout).to.match(/0 donations recorded, 28 already on chain/);

    // A second PC (a fresh receipts file) gets no new receipt codes for what the chain has.
    const otherPc = join(dir, "other-pc-receipts.csv");
    const second = await hardhat("charity", "import", file, "--receipts", otherPc, "--skip-refused", "--from", CHARITY);
    expect(second.code).to.equal(1);
    expect(second.stderr).to.match(/line 2, ref "CLI-0": already on chain \(¥1,000\.50\), but the receipts file/);
    expect(await readFile(otherPc, "utf8").catch(() => "none")).to.equal("none");

    const show = await hardhat("charity", "project", "show", PROJECT, "--json");
    expect(show.code, show.stderr).to.equal(0);
    // 28 imported here and DONATE-1 from the test before
    expect(JSON.parse(show.stdout)).to.include({ donationCount: "29", status: "approved" });
  });

  it("disburses to the hospital by name, which confirms, and traces a donation by its receipt code", async function () {
    const paid = await hardhat(
      "charity",
      "disburse",
      PROJECT,
      "--to",
      "江门市中心医院",
      "--amount",
      "1,500",
      "--from",
      CHARITY,
    );
    expect(paid.code, paid.stderr).to.equal(0);
    const id = /disbursement (0x[0-9a-f]{64})/.exec(paid.stdout)?.[1];
    expect(id).to.be.a("string");

    const wrong = await hardhat("charity", "confirm", id!, "--from", CHARITY);
    expect(wrong.code).to.equal(1);
    const ok = await hardhat("charity", "confirm", id!, "--from", HOSPITAL);
    expect(ok.code, ok.stderr).to.equal(0);

    const receipts = await readFile(join(dir, "receipts.csv"), "utf8");
    const code = /ZX-[0-9A-Z-]+/.exec(receipts.split("\n").find((l) => l.startsWith("CLI-0,")) ?? "")?.[0];
    expect(code).to.be.a("string");
    const trace = await hardhat("charity", "trace", code!);
    expect(trace.code, trace.stderr).to.equal(0);
    expect(trace.stdout).to.include("¥1,000.50 → ¥1,000.50 to 江门市中心医院 (programme, confirmed)");
  });

  it("writes a report file and refuses more than the project holds, in yuan", async function () {
    const out = join(dir, "report.csv");
    const report = await hardhat("charity", "report", "--project", PROJECT, "--format", "csv", "--out", out);
    expect(report.code, report.stderr).to.equal(0);
    const text = await readFile(out, "utf8");
    expect(text).to.include("programme / last year's income");
    expect(text).to.include("1,500.00");

    const tooMuch = await hardhat(
      "charity",
      "disburse",
      PROJECT,
      "--to",
      "江门市中心医院",
      "--amount",
      "1,000,000",
      "--from",
      CHARITY,
    );
    expect(tooMuch.code).to.equal(1);
    expect(errorLines(tooMuch).join("\n")).to.match(/holds ¥[0-9,.]+, less than the ¥1,000,000\.00 requested/);
  });

  it("publishes statistics with the on-chain totals", async function () {
    const r = await hardhat(
      "charity",
      "stats",
      "publish",
      "2026-Q4",
      "--report-hash",
      "0x" + "22".repeat(32),
      "--from",
      CIVIL_AFFAIRS,
    );
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/received\s+¥[0-9,.]+ in 29 donations/);
    expect(r.stdout).to.match(/programme spent ¥1,500\.00/);
  });

  it("lets civil affairs record for the charity only with the charity's reference key, and never twice", async function () {
    const receipts = join(dir, "civil-receipts.csv");
    const args = ["charity", "donate", PROJECT, "--ref", "CIVIL-1", "--amount", "5", "--receipts", receipts];
    const without = await hardhat(...args, "--from", CIVIL_AFFAIRS);
    expect(without.code).to.equal(1);
    expect(errorLines(without).join("\n")).to.match(/reference key: give it with --ref-key .*charity ref-key --from/);
    expect(await readFile(receipts, "utf8").catch(() => "")).not.to.include("CIVIL-1");

    const key = await hardhat("charity", "ref-key", "--from", CHARITY);
    expect(key.code, key.stderr).to.equal(0);
    expect(key.stdout.trim()).to.match(/^0x[0-9a-f]{64}$/);
    // The same key on every run: it comes from the charity's signature.
    expect((await hardhat("charity", "ref-key", "--from", CHARITY)).stdout).to.equal(key.stdout);
    const done = await hardhat(...args, "--ref-key", key.stdout.trim(), "--from", CIVIL_AFFAIRS);
    expect(done.code, done.stderr).to.equal(0);
    // The charity recording the same reference is refused: it is the same donation.
    const again = await hardhat(...args, "--from", CHARITY);
    expect(again.code).to.equal(1);
    expect(errorLines(again).join("\n")).to.match(/is recorded already/);
  });

  it("imports a 99公益 export with --project: a dry run shows the totals, the refund stops it, --skip-refused records the rest", async function () {
    const gongyi = join("test", "fixtures", "imports", "gongyi99.csv");
    const receipts = join(dir, "gongyi-receipts.csv");
    const args = ["charity", "import", gongyi, "--project", PROJECT, "--receipts", receipts, "--from", CHARITY];
    const from = (await chain.blockNumber()) + 1;
    const dry = await hardhat(...args, "--dry-run");
    expect(dry.code).to.equal(1);
    expect(dry.stdout).to.match(
      /dry run: nothing sent; 5 donations would be recorded, ¥1,380\.50 \(JM-CLI-2026: 5 donations, ¥1,380\.50\); 1 row refused/,
    );
    expect(dry.stdout).to.include('not read: "项目名称", "配捐金额（元）"');
    expect(errorLines(dry)).to.include(
      'line 6, status "已退款": a refunded or cancelled payment, not a donation: delete the row',
    );
    const done = await hardhat(...args, "--skip-refused");
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.match(
      /5 donations recorded, 0 already on chain, 1 row refused, in 1 transactions; ¥1,380\.50/,
    );
    // No donor name and no personal data in the import's blocks.
    const provider = new JsonRpcProvider(chain.url());
    expect(await scanChainForPii(provider, from)).to.deep.equal([]);
    expect(await scanChainForTexts(provider, ["爱心网友", "测试甲", "测试丙", "配捐方"], from)).to.deep.equal([]);
  });
});
