/**
 * The poverty-relief CLI against a real node (an Anvil this test starts): a programme passed down to a
 * village, a beneficiary registered and attested from an ID number that never leaves the machine, a
 * payment proposed, refused to its proposer, approved by rural affairs and refused a second time; the
 * tree and the report; a finding; and bad input refused by field before anything is sent.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, id as keccakText } from "ethers";
import ExcelJS from "exceljs";

import {
  DEV_RELIEF_SECRET,
  RELIEF_SECRET_VARIABLE,
  beneficiaryKey,
  idCheckChar,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { RELIEF_ACCOUNTS as A } from "../../src/dev/relief-story.js";
import { scanChainForPii } from "../../src/dev/pii.js";
import { paymentCommitment } from "../../src/relief/ledger.js";
import { reliefReceiptHash } from "../../src/relief/receipt-code.js";
import { errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const first17 = "44078119800101123";
const ID_NUMBER = first17 + idCheckChar(first17);
const HASH = "0x" + "ab".repeat(32);

describe("relief CLI on a local Anvil node", function () {
  this.timeout(600_000);
  let chain: LocalChain;
  let dir: string;
  const hardhat = (...args: string[]) => chain.hardhat(...args);
  const ok = async (...args: string[]) => {
    const r = await hardhat(...args);
    expect(r.code, `${args.join(" ")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
    return r.stdout;
  };
  /** Runs a command that must be refused locally or by the chain, and checks nothing was mined. */
  const refused = async (pattern: RegExp, ...args: string[]) => {
    const before = await chain.blockNumber();
    const r = await hardhat(...args);
    expect(r.code, `${args.join(" ")}\n${r.stdout}`).to.not.equal(0);
    const errors = errorLines(r);
    expect(errors, r.stderr).to.have.length(1);
    expect(errors[0]).to.match(pattern);
    expect(await chain.blockNumber()).to.equal(before);
    return errors[0]!;
  };

  before(async function () {
    process.env[RELIEF_SECRET_VARIABLE] = DEV_RELIEF_SECRET;
    chain = await startLocalChain(7650);
    dir = await mkdtemp(join(tmpdir(), "zhixin-relief-cli-"));
    await ok("run", "scripts/deploy-local.ts");
  });

  after(async function () {
    delete process.env[RELIEF_SECRET_VARIABLE];
    await chain?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("takes a programme from finance to a beneficiary, with a second organisation's approval", async function () {
    await refused(
      /--budget.*at most 2 decimal places/,
      ...["relief", "programme", "create", "TS-EDU-2026", "--category", "education", "--year", "2026"],
      ...["--budget", "100000.001", "--cap", "1500", "--document-hash", HASH, "--from", A.finance],
    );
    await refused(
      /category.*must be one of industry/,
      ...["relief", "programme", "create", "TS-EDU-2026", "--category", "sport", "--year", "2026"],
      ...["--budget", "100000", "--cap", "1500", "--document-hash", HASH, "--from", A.finance],
    );
    const created = await ok(
      ...["relief", "programme", "create", "TS-EDU-2026", "--category", "education", "--year", "2026"],
      ...["--budget", "100,000", "--periods", "2", "--cap", "1500", "--requires", "lifted-from-poverty"],
      ...["--document-hash", HASH, "--from", A.finance],
    );
    expect(created).to.match(/programme TS-EDU-2026 created: education, 2026, budget ¥100,000.00, 2 period/);
    await ok(
      ...[
        "relief",
        "allocate",
        "TS-EDU-2026",
        "--to",
        "江门市乡村振兴局",
        "--amount",
        "60000",
        "--document-hash",
        HASH,
        "--from",
        A.finance,
      ],
    );
    // The village accepts rural affairs above it first: without that, the allocation is refused.
    await refused(
      /has not accepted 0x71bE63f3384f5fb98995898A86B02Fb2426c5788 as the holder above it/,
      ...["relief", "allocate", "TS-EDU-2026", "--to", "台山市斗山镇浮石村民委员会", "--amount", "20000"],
      ...["--document-hash", HASH, "--from", A.ruralAffairs],
    );
    expect(
      await ok(
        ...["relief", "parent", "accept", "TS-EDU-2026", "--parent", "江门市乡村振兴局"],
        ...["--document-hash", HASH, "--from", A.fushi],
      ),
    ).to.include("accepted 江门市乡村振兴局 as the holder above in TS-EDU-2026");
    await ok(
      ...["relief", "allocate", "TS-EDU-2026", "--to", "台山市斗山镇浮石村民委员会", "--amount", "20000"],
      ...["--document-hash", HASH, "--from", A.ruralAffairs],
    );
    await refused(
      /receives programme .* from 0x71bE63f3384f5fb98995898A86B02Fb2426c5788.*cannot take that place/i,
      ...[
        "relief",
        "allocate",
        "TS-EDU-2026",
        "--to",
        A.fushi,
        "--amount",
        "1",
        "--document-hash",
        HASH,
        "--from",
        A.finance,
      ],
    );

    const registered = await ok(
      ...["relief", "beneficiary", "register", "--id-number", ID_NUMBER, "--household", "DSFS-0001"],
      ...["--from", A.fushi],
    );
    const key = beneficiaryKey(parseReliefSecret(DEV_RELIEF_SECRET), ID_NUMBER);
    expect(registered).to.include(key).and.include("440781********").and.not.include(ID_NUMBER);
    await refused(
      /lacks attestations .*脱贫户/,
      ...["relief", "disburse", "propose", "TS-EDU-2026", "--id-number", ID_NUMBER, "--amount", "1200"],
      ...["--payment-ref", "BANK-0001", "--from", A.fushi],
    );
    await ok(
      ...["relief", "beneficiary", "attest", "--id-number", ID_NUMBER, "--kind", "脱贫户"],
      ...["--evidence-hash", HASH, "--from", A.ruralAffairs],
    );
    await refused(
      /more than programme .* allows per payment \(¥1,500.00\)/,
      ...["relief", "disburse", "propose", "TS-EDU-2026", "--id-number", ID_NUMBER, "--amount", "1600"],
      ...["--payment-ref", "BANK-0001", "--from", A.fushi],
    );
    const notices = join(dir, "notices.csv");
    const proposed = await ok(
      ...["relief", "disburse", "propose", "TS-EDU-2026", "--id-number", ID_NUMBER, "--amount", "1200"],
      ...["--payment-ref", "BANK-0001", "--notices", notices, "--from", A.fushi],
    );
    const id = /disbursement (0x[0-9a-f]{64})/.exec(proposed)?.[1];
    expect(id, proposed).to.be.a("string");
    // The household's receipt code: on the village's notice only, its hash bound to the payment on chain.
    const notice = await readFile(notices, "utf8");
    const code = /RP-[0-9A-Z-]{22}/.exec(notice)?.[0];
    expect(code, notice).to.be.a("string");
    expect(notice.startsWith("\uFEFFreceiptCode,programme,period,amountYuan")).to.equal(true);
    expect(notice).to.include(id!).and.include("1200.00").and.not.include(ID_NUMBER);
    expect(proposed).to.include(`receipt code ${code} bound`);
    expect(await ok("relief", "disburse", "show", id!)).to.include(`code hash ${reliefReceiptHash(code!)}`);
    await refused(
      /already has a receipt code .*never replaced/,
      ...["relief", "disburse", "receipt", id!, "--notices", notices, "--from", A.fushi],
    );
    // The reference goes on chain as a salted commitment; the salt is printed for the village's records.
    const commitment = /committed as (0x[0-9a-f]{64})/.exec(proposed)?.[1];
    const salt = /salt (0x[0-9a-f]{64})/.exec(proposed)?.[1];
    expect(commitment).to.equal(paymentCommitment(salt!, "BANK-0001"));
    expect(commitment).to.not.equal(keccakText("BANK-0001"));
    expect(await ok("relief", "disburse", "show", id!)).to.include(commitment!);
    const terms = ["--amount", "1200", "--payment-ref-hash", commitment!];
    await refused(/does not hold RURAL_AFFAIRS/, "relief", "disburse", "approve", id!, ...terms, "--from", A.fushi);
    // An approval names the terms reviewed: other ones are refused.
    await refused(
      /now proposes ¥1,200.00 .* not the ¥1,300.00/,
      ...["relief", "disburse", "approve", id!, "--amount", "1300", "--payment-ref-hash", commitment!],
      ...["--from", A.ruralAffairs],
    );
    expect(await ok("relief", "disburse", "approve", id!, ...terms, "--from", A.ruralAffairs)).to.include(
      "approved ¥1,200.00",
    );
    await refused(
      /is approved already: this recipient is paid once for this period/,
      ...["relief", "disburse", "propose", "TS-EDU-2026", "--id-number", ID_NUMBER, "--amount", "1200"],
      ...["--payment-ref", "BANK-0002", "--from", A.fushi],
    );
    await ok("relief", "return", "TS-EDU-2026", "--amount", "5000", "--document-hash", HASH, "--from", A.fushi);

    const tree = await ok("relief", "tree", "TS-EDU-2026");
    // Households and projects counted apart (issue 20: "49 beneficiaries and projects" for 49 and 1).
    expect(tree).to.include("disbursed ¥1,200.00 (¥1,200.00 to 1 beneficiary household, ¥0.00 to 0 projects)");
    expect(tree).to.match(/江门市财政局: received ¥100,000.00, passed on ¥60,000.00/);
    expect(tree).to.match(
      / {6}台山市斗山镇浮石村民委员会: received ¥20,000.00, passed on ¥0.00, returned ¥5,000.00, available ¥13,800.00; paid 1 beneficiaries ¥1,200.00/,
    );

    const csv = join(dir, "report.csv");
    await ok("relief", "report", "--programme", "TS-EDU-2026", "--format", "csv", "--out", csv);
    const text = await readFile(csv, "utf8");
    expect(text).to.include("# holders").and.include('江门市乡村振兴局,江门市财政局,"60,000.00"');

    const json = JSON.parse(await ok("relief", "report", "--programme", "TS-EDU-2026", "--json")) as {
      unit: string;
      programme: { appropriated: string; disbursed: string };
      holders: { name: string; received: string; disbursed: string; available: string; returned: string }[];
    };
    expect(json.unit).to.equal("fen");
    expect(json.programme.appropriated).to.equal("10000000");
    expect(json.programme.disbursed).to.equal("120000");
    const village = json.holders.find((h) => h.name === "台山市斗山镇浮石村民委员会")!;
    expect([village.received, village.disbursed, village.returned, village.available]).to.deep.equal([
      "2000000",
      "120000",
      "500000",
      "1380000",
    ]);
    const mine = JSON.parse(await ok("relief", "report", "--holder", "台山市斗山镇浮石村民委员会", "--json")) as {
      programmes: { programmeId: string; available: string }[];
    };
    expect(mine.programmes.map((p) => p.available)).to.deep.equal(["1380000"]);

    const xlsx = join(dir, "holder.xlsx");
    await ok("relief", "report", "--holder", "台山市斗山镇浮石村民委员会", "--format", "xlsx", "--out", xlsx);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const row = book.getWorksheet("programmes")!.getRow(2).values as unknown[];
    expect(row.slice(2, 6)).to.deep.equal(["education", "2026", "江门市乡村振兴局", "20,000.00"]);

    const finding = await ok(
      ...[
        "relief",
        "audit",
        "finding",
        "--target-kind",
        "disbursement",
        "--target",
        id!,
        "--respondent",
        "台山市斗山镇浮石村民委员会",
      ],
      ...["--severity", "medium", "--document-hash", HASH, "--from", A.audit],
    );
    expect(finding).to.match(/finding 1 \(medium\) on disbursement/);
    await refused(
      /is for 0xFABB0ac9d68B0B445fB7357272Ff202C5651694a to answer/i,
      "relief",
      "audit",
      "answer",
      "1",
      "--document-hash",
      HASH,
      "--from",
      A.shencun,
    );
    expect(await ok("relief", "check", "duplicates")).to.include(
      "no beneficiary key was paid under more than one programme",
    );
  });

  it("imports a village roll all-or-nothing: both sheets named, truncated IDs refused, a dry run sends nothing", async function () {
    const roll = join("test", "fixtures", "imports", "village-roll.xlsx");
    const args = ["relief", "beneficiary", "import", roll, "--from", A.fushi];
    await refused(/read sheet "脱贫户", but "防返贫监测对象" looks like a beneficiary roll too/, ...args);

    const before = await chain.blockNumber();
    const dry = await hardhat(...args, "--sheet", "all", "--dry-run");
    expect(dry.code).to.equal(1);
    expect(dry.stdout).to.match(
      /dry run: nothing sent; 5 beneficiaries would be registered, 0 done already, 3 rows refused/,
    );
    const lines = errorLines(dry).filter((l) => l.startsWith("sheet "));
    expect(lines).to.have.length(3);
    expect(lines[0]).to.match(/^sheet "脱贫户" line 5, idNumber "440781\*+2000": Excel kept only 15 digits/);
    expect(dry.stdout + dry.stderr).to.not.match(/440781194005152000/);
    const stopped = await hardhat(...args, "--sheet", "all");
    expect(stopped.code).to.equal(1);
    expect(stopped.stdout).to.match(/^nothing sent; 5 beneficiaries would be registered/m);
    expect(await chain.blockNumber()).to.equal(before);

    const done = await hardhat(...args, "--sheet", "all", "--skip-refused");
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.match(/5 beneficiaries registered, 0 already registered by .*, 3 rows refused/);
    expect(await scanChainForPii(new JsonRpcProvider(chain.url()), before + 1)).to.deep.equal([]);
  });

  it("refuses a bad ID number without echoing it, and a missing secret", async function () {
    const bad = ID_NUMBER.slice(0, 17) + (ID_NUMBER[17] === "1" ? "2" : "1");
    const line = await refused(
      /ID number.*check character does not match/,
      ...["relief", "beneficiary", "register", "--id-number", bad, "--household", "X-1", "--from", A.fushi],
    );
    expect(line).to.not.include(bad);
    delete process.env[RELIEF_SECRET_VARIABLE];
    try {
      await refused(/ZHIXIN_RELIEF_SECRET.*is not set/, ...["relief", "beneficiary", "key", "--id-number", ID_NUMBER]);
    } finally {
      process.env[RELIEF_SECRET_VARIABLE] = DEV_RELIEF_SECRET;
    }
  });
});
