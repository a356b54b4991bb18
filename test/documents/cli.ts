/**
 * The CLI binds the SHA-256 of the files it anchors (src/hash.ts, tasks/common.ts runTask): a command that
 * hashed evidence files and succeeded sends one more transaction binding every file's SHA-256 to its keccak-256
 * for the acting organisation; a re-run sends none; a refused command binds nothing.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";

import { loadDeployment, type Deployment } from "../../src/deployment.js";
import {
  SAMPLE_CHARITY,
  deployWithApprovedProject,
  errorLines,
  startLocalChain,
  type LocalChain,
} from "../helpers/cli.js";

const CHARITY = SAMPLE_CHARITY;
const HOSPITAL = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const PROJECT = "JM-DOCS-2026";

const sha256Of = (text: string) => "0x" + createHash("sha256").update(text).digest("hex");
const BOUND = /^bound the SHA-256 of (\d+) files? to (?:its|their) keccak-256 in block \d+, tx (0x[0-9a-f]{64})$/m;

describe("the CLI binds the SHA-256 of the files it anchors", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let dir: string;
  let provider: JsonRpcProvider;
  let d: Deployment;
  const hardhat = (...args: string[]) => chain.hardhat(...args);
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return { path, keccak: keccak256(toUtf8Bytes(text)), sha: sha256Of(text) };
  };
  const bindingsIn = async (txHash: string) => {
    const receipt = await provider.getTransactionReceipt(txHash);
    return receipt!.logs
      .map((l) => d.documentDigests!.interface.parseLog(l)!)
      .map((p) => ({
        name: p.name,
        keccak: p.args.keccak256Digest as string,
        sha: p.args.sha256Digest as string,
        by: p.args.by as string,
      }));
  };

  before(async function () {
    chain = await startLocalChain(7800);
    dir = await mkdtemp(join(tmpdir(), "zhixin-documents-cli-"));
    await deployWithApprovedProject(chain, PROJECT);
    provider = new JsonRpcProvider(chain.url());
    d = await loadDeployment(provider);
    expect(d.documentDigests, "deployed by deploy-local").not.to.equal(undefined);
  });

  after(async function () {
    provider?.destroy();
    await chain?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("binds an evidence file's SHA-256 to the keccak-256 the donation anchors, for the charity, in one more transaction", async function () {
    const bank = await file("bank-statement.txt", "招商银行 回单 2026-07-21 ¥10.00");
    const r = await hardhat(
      "charity",
      "donate",
      PROJECT,
      "--ref",
      "DOC-1",
      "--amount",
      "10",
      "--donor",
      "王五",
      "--evidence-file",
      bank.path,
      "--receipts",
      join(dir, "receipts.csv"),
      "--from",
      CHARITY,
    );
    expect(r.code, r.stderr).to.equal(0);
    const m = BOUND.exec(r.stdout);
    expect(m, r.stdout).not.to.equal(null);
    expect(m![1]).to.equal("1");
    expect(await bindingsIn(m![2]!)).to.deep.equal([
      { name: "DigestsBound", keccak: bank.keccak, sha: bank.sha, by: CHARITY },
    ]);
    expect(await d.documentDigests!.sha256Of(CHARITY, bank.keccak)).to.equal(bank.sha);
    const recorded = await d.charity!.queryFilter(d.charity!.filters.DonationRecorded());
    expect(recorded.map((e) => e.args.evidenceHash)).to.include(bank.keccak);
  });

  it("binds the files of a whole import in one transaction, and a re-run of the import sends none", async function () {
    const a = await file("a.txt", "回单 A");
    const b = await file("b.txt", "回单 B");
    const c = await file("c.txt", "回单 C");
    const rows = ["流水号,项目,金额,捐赠人,渠道,凭证"];
    rows.push(`IMP-1,${PROJECT},1,甲,微信,a.txt`, `IMP-2,${PROJECT},2,乙,微信,b.txt`);
    rows.push(`IMP-3,${PROJECT},3,丙,微信,c.txt`, `IMP-4,${PROJECT},4,丁,微信,a.txt`);
    const sheet = join(dir, "donations.csv");
    await writeFile(sheet, rows.join("\n") + "\n");
    const run = () =>
      hardhat(
        "charity",
        "import",
        sheet,
        "--receipts",
        join(dir, "import-receipts.csv"),
        "--batch-size",
        "2",
        "--from",
        CHARITY,
      );

    const first = await run();
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout.match(new RegExp(BOUND.source, "gm")) ?? [], first.stdout).to.have.length(1);
    const m = BOUND.exec(first.stdout)!;
    expect(m[1]).to.equal("3");
    expect(await bindingsIn(m[2]!)).to.have.deep.members(
      [a, b, c].map((f) => ({ name: "DigestsBound", keccak: f.keccak, sha: f.sha, by: CHARITY })),
    );

    const again = await run();
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).not.to.match(BOUND);
  });

  it("binds nothing when the command is refused", async function () {
    const refusedFile = await file("refused.txt", "never anchored");
    const refused = await hardhat(
      "charity",
      "donate",
      PROJECT,
      "--ref",
      "DOC-2",
      "--amount",
      "10",
      "--donor",
      "王五",
      "--evidence-file",
      refusedFile.path,
      "--receipts",
      join(dir, "receipts.csv"),
      "--from",
      HOSPITAL,
    );
    expect(refused.code).to.equal(1);
    expect(errorLines(refused).join("\n")).to.match(/^Error: the chain refused/m);
    expect(refused.stdout).not.to.match(BOUND);
    expect(await d.documentDigests!.sha256Of(HOSPITAL, refusedFile.keccak)).to.equal("0x" + "00".repeat(32));
  });
});
