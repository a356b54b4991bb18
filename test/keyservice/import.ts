/**
 * A village imports its beneficiary roll through the key service, as a user would: the CLI
 * (`npx hardhat relief beneficiary import … --network localhost`, Anvil on a free port) with
 * ZHIXIN_KEY_SERVICE_URL set, and a different, wrong secret in ZHIXIN_RELIEF_SECRET to show that the
 * village's computer no longer uses one. The keys on chain are the service's (the consortium secret's),
 * one request for the whole file is logged, and nothing is sent twice on a re-run.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { type ChildProcess, spawn } from "node:child_process";

import { expect } from "chai";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";

import { loadDeployment } from "../../src/deployment.js";
import { startKeyService, type KeyService } from "../../src/keyservice/server.js";
import { KEY_SERVICE_URL_VARIABLE } from "../../src/relief/key-service-client.js";
import {
  DEV_RELIEF_SECRET,
  RELIEF_SECRET_VARIABLE,
  beneficiaryKey,
  householdHash,
  idCheckChar,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { ROOT, errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const SECRET = parseReliefSecret(DEV_RELIEF_SECRET);
const WRONG_SECRET = "0x" + "ab".repeat(32);
const FUSHI_VILLAGE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
const RURAL_AFFAIRS = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";

/** The dev chain's account for `address` (Hardhat's and Anvil's well-known test mnemonic). */
function devWallet(address: string, provider: JsonRpcProvider) {
  const mnemonic = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  for (let i = 0; i < 30; i++) {
    const w = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    if (w.address === address) return w.connect(provider);
  }
  throw new Error(`${address} is not a dev account`);
}

function idNumber(seq: number, birth = "19700101"): string {
  const first17 = `440781${birth}${String(seq).padStart(3, "0")}`;
  return first17 + idCheckChar(first17);
}

describe("key service: a beneficiary import end to end", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let dir: string;
  let service: (KeyService & { url: string }) | undefined;
  let child: ChildProcess | undefined;

  before(async function () {
    chain = await startLocalChain(7900);
    dir = await mkdtemp(join(tmpdir(), "zhixin-keyservice-"));
    const deployed = await chain.hardhat("run", "scripts/deploy-local.ts");
    expect(deployed.code, deployed.stderr).to.equal(0);
    const provider = new JsonRpcProvider(chain.url());
    const rural = devWallet(RURAL_AFFAIRS, provider);
    const d = await loadDeployment(rural);
    service = await startKeyService({
      secret: SECRET,
      deployment: d,
      anchorAddress: d.addresses.KeyServiceAnchor!,
      anchorSigner: rural,
      overrides: { type: 0, gasPrice: 0n },
      anchorIntervalMs: 0,
      port: 0,
    });
    process.env[KEY_SERVICE_URL_VARIABLE] = service.url;
    process.env[RELIEF_SECRET_VARIABLE] = WRONG_SECRET;
  });

  after(async function () {
    delete process.env[KEY_SERVICE_URL_VARIABLE];
    delete process.env[RELIEF_SECRET_VARIABLE];
    if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
    await service?.close();
    await chain?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("registers a village's roll with the service's keys, in one logged request, and registers one more by hand", async function () {
    const ids = [1, 2, 3].map((n) => idNumber(n));
    const roll = join(dir, "roll.csv");
    await writeFile(
      roll,
      ["身份证号,姓名,户编号", ...ids.map((x, i) => `${x},${["张三", "李四", "王五"][i]},HH-00${i}`)].join("\n"),
    );
    const r = await chain.hardhat("relief", "beneficiary", "import", roll, "--from", FUSHI_VILLAGE);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/3 beneficiaries registered, 0 already registered by .*, 0 rows refused/);
    expect(r.stderr).to.include(`keys from the key service at ${service!.url}`);
    expect(r.stdout + r.stderr).to.not.include(ids[0]);

    const provider = new JsonRpcProvider(chain.url());
    const d = await loadDeployment(provider);
    for (const x of ids)
      expect((await d.relief!.beneficiary(beneficiaryKey(SECRET, x))).village, x).to.equal(FUSHI_VILLAGE);
    const events = await d.relief!.queryFilter(d.relief!.filters.BeneficiaryRegistered());
    expect(events.map((e) => [e.args.key, e.args.householdHash])).to.deep.equal(
      ids.map((x, i) => [beneficiaryKey(SECRET, x), householdHash(SECRET, `HH-00${i}`)]),
    );
    // One request for the file: one log entry with 3 keys and 3 household hashes.
    let log = await service!.store.entries();
    expect(log.map((e) => [e.account, e.keys, e.households])).to.deep.equal([[FUSHI_VILLAGE, 3, 3]]);

    // A re-run sends nothing (it still asks the service: the keys are how it finds the rows on chain).
    const again = await chain.hardhat("relief", "beneficiary", "import", roll, "--from", FUSHI_VILLAGE);
    expect(again.stdout).to.match(/0 beneficiaries registered, 3 already registered/);

    const one = await chain.hardhat(
      ...["relief", "beneficiary", "register", "--id-number", idNumber(9), "--household", "HH-009"],
      ...["--from", FUSHI_VILLAGE],
    );
    expect(one.code, one.stderr).to.equal(0);
    expect((await d.relief!.beneficiary(beneficiaryKey(SECRET, idNumber(9)))).village).to.equal(FUSHI_VILLAGE);
    log = await service!.store.entries();
    expect(log).to.have.length(3);

    // The service down: the CLI says so in one line and sends nothing.
    const url = service!.url;
    await service!.close();
    service = undefined;
    const before = await chain.blockNumber();
    const down = await chain.hardhat(
      ...["relief", "beneficiary", "register", "--id-number", idNumber(10), "--household", "HH-010"],
      ...["--from", FUSHI_VILLAGE],
    );
    expect(down.code).to.not.equal(0);
    expect(errorLines(down)).to.have.length(1);
    expect(errorLines(down)[0]).to.match(
      new RegExp(`^Error: cannot reach the key service at ${url} \\(ZHIXIN_KEY_SERVICE_URL\\)`),
    );
    expect(await chain.blockNumber()).to.equal(before);
  });

  it("runs as one command (`hardhat keyservice`), which an outsider audits and which anchors its log when stopped", async function () {
    const db = join(dir, "keyservice-db");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ZHIXIN_LOCAL_RPC_URL: chain.url(),
      ZHIXIN_LOCAL_CHAIN_ID: String(chain.chainId),
      [RELIEF_SECRET_VARIABLE]: DEV_RELIEF_SECRET,
    };
    delete env[KEY_SERVICE_URL_VARIABLE];
    // Node itself, not npx: Ctrl-C (SIGINT) must reach the service, which npm exec does not pass on.
    child = spawn(
      process.execPath,
      [
        join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"),
        ...["keyservice", "--network", "localhost", "--port", "0", "--db", db, "--from", RURAL_AFFAIRS],
      ],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 120_000;
    while (
      !/clients {2}set ZHIXIN_KEY_SERVICE_URL=(\S+)/.test(out) &&
      Date.now() < deadline &&
      child.exitCode === null
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = /clients {2}set ZHIXIN_KEY_SERVICE_URL=(\S+)/.exec(out)?.[1];
    expect(url, out).to.be.a("string");
    expect(out).to.match(/^key service for chain \d+ at http:\/\/127\.0\.0\.1:\d+ \(key version v1-[0-9a-f]{16}\)$/m);

    process.env[KEY_SERVICE_URL_VARIABLE] = url;
    const roll = join(dir, "roll2.csv");
    await writeFile(roll, ["身份证号,户编号", `${idNumber(21)},HH-021`, `${idNumber(22)},HH-022`].join("\n"));
    const r = await chain.hardhat("relief", "beneficiary", "import", roll, "--from", FUSHI_VILLAGE);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/2 beneficiaries registered/);

    // Anyone: the log's hash chain, and the anchor (none yet).
    const audit = await chain.hardhat("keyservice", "audit", "--url", url!);
    expect(audit.code, audit.stderr).to.equal(0);
    expect(audit.stdout).to.match(/^log: 1 entries, head 0x[0-9a-f]{64}, hash chain unbroken$/m);
    // A village asks for an anchor now.
    const anchored = await chain.hardhat("keyservice", "anchor", "--url", url!, "--from", FUSHI_VILLAGE);
    expect(anchored.code, anchored.stderr).to.equal(0);
    expect(anchored.stdout).to.match(/^anchored the log's head 0x[0-9a-f]{64} after 1 entries$/m);
    const audited = await chain.hardhat("keyservice", "audit", "--url", url!, "--json");
    expect(JSON.parse(audited.stdout)).to.deep.include({ chainOk: true, anchorOk: true, count: 1, anchoredCount: 1 });

    // Stopped (Ctrl-C), it anchors what is new first.
    const again = await chain.hardhat(
      "relief",
      "beneficiary",
      "key",
      "--id-number",
      idNumber(23),
      "--from",
      FUSHI_VILLAGE,
    );
    expect(again.stdout.trim()).to.equal(beneficiaryKey(SECRET, idNumber(23)));
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGINT");
    const timedOut = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`the key service did not stop on SIGINT:\n${out}`)), 60_000).unref(),
    );
    await Promise.race([exited, timedOut]);
    expect(out).to.include("anchoring the log's head before stopping");
    const d = await loadDeployment(new JsonRpcProvider(chain.url()));
    expect((await d.keyServiceAnchor!.latest())[1]).to.equal(2n);
  });
});
