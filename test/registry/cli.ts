/**
 * The departments' CLI against a real JSON-RPC node: an Anvil started by this test on a
 * free port, with its own chain id and data folder, stopped and restarted to prove that
 * state survives. Runs `npx hardhat` as a user would.
 */
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const MARKET_REGULATOR = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const NEW_CHARITY = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";

describe("org CLI on a local Anvil node", function () {
  this.timeout(240_000);
  let chain: LocalChain;
  const hardhat = (...args: string[]) => chain.hardhat(...args);

  /** `org register` of a charity; each field can be overridden to test one wrong value at a time. */
  function register(fields: { account?: string; name?: string; creditCode?: string; from?: string } = {}) {
    const f = {
      account: NEW_CHARITY,
      name: "江门市测试基金会",
      creditCode: "53440700MJ0000041U",
      from: CIVIL_AFFAIRS,
      ...fields,
    };
    return hardhat(
      "org",
      "register",
      "--account",
      f.account,
      "--kind",
      "charity",
      "--name",
      f.name,
      "--credit-code",
      f.creditCode,
      "--from",
      f.from,
    );
  }

  const blockNumber = () => chain.blockNumber();

  before(async function () {
    chain = await startLocalChain(7500);
    const deploy = await hardhat("run", "scripts/deploy-local.ts");
    expect(deploy.code, deploy.stderr).to.equal(0);
  });

  after(async function () {
    await chain?.dispose();
  });

  it("lists the sample organisations registered by deploy:local", async function () {
    const r = await hardhat("org", "list", "--json");
    expect(r.code, r.stderr).to.equal(0);
    const orgs = JSON.parse(r.stdout) as { name: string; kind: string }[];
    expect(orgs).to.have.length(17);
    expect(orgs.map((o) => o.name)).to.include.members([
      "江门市民政局",
      "江门市新会区陈皮专业合作社",
      "台山市惠民超市有限公司",
    ]);
  });

  it("refuses an invalid credit code in one line, naming the field, and sends nothing", async function () {
    const before = await blockNumber();
    const r = await register({ name: "测试基金会", creditCode: "53440700MJ0000041X" });
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.deep.equal([
      'Error: invalid credit code "53440700MJ0000041X": check character is X, expected U',
    ]);
    expect(await blockNumber()).to.equal(before);
  });

  it("refuses an invalid address naming the field", async function () {
    const r = await register({ account: "0x1234", name: "x" });
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.deep.equal([
      'Error: invalid account "0x1234": not an address (0x followed by 40 hex digits)',
    ]);
  });

  it("tells an unauthorised caller which role is needed and which it holds, and sends nothing", async function () {
    const before = await blockNumber();
    const r = await register({ name: "测试基金会", from: MARKET_REGULATOR });
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.deep.equal([
      `Error: registering a CHARITY organisation needs role CIVIL_AFFAIRS; ${MARKET_REGULATOR} holds MARKET_REGULATOR`,
    ]);
    expect(await blockNumber()).to.equal(before);
  });

  it("registers, shows and suspends with legacy zero-price transactions", async function () {
    const reg = await register();
    expect(reg.code, reg.stderr).to.equal(0);
    const txHash = /tx (0x[0-9a-f]{64})/.exec(reg.stdout)?.[1];
    expect(txHash, reg.stdout).to.be.a("string");
    const tx = await new JsonRpcProvider(chain.url()).getTransaction(txHash!);
    expect(tx?.type).to.equal(0);
    expect(tx?.gasPrice).to.equal(0n);

    const show = await hardhat("org", "show", "53440700MJ0000041U", "--json");
    expect(show.code, show.stderr).to.equal(0);
    expect(JSON.parse(show.stdout)).to.include({
      account: NEW_CHARITY,
      kind: "CHARITY",
      status: "active",
      name: "江门市测试基金会",
    });
    expect(JSON.parse(show.stdout).roles).to.deep.equal(["CHARITY"]);

    const suspend = await hardhat("org", "suspend", NEW_CHARITY, "--from", CIVIL_AFFAIRS);
    expect(suspend.code, suspend.stderr).to.equal(0);
    const again = await hardhat("org", "suspend", NEW_CHARITY, "--from", CIVIL_AFFAIRS);
    expect(again.code).to.equal(1);
    expect(errorLines(again)).to.deep.equal([`Error: "江门市测试基金会" (${NEW_CHARITY}) is suspended already`]);
  });

  it("keeps every organisation after the node is stopped and started again", async function () {
    const height = await blockNumber();
    await chain.restart();
    expect(await blockNumber()).to.equal(height);
    const r = await hardhat("org", "list", "--json");
    expect(r.code, r.stderr).to.equal(0);
    const orgs = JSON.parse(r.stdout) as { account: string; status: string }[];
    expect(orgs).to.have.length(18);
    expect(orgs.find((o) => o.account === NEW_CHARITY)?.status).to.equal("suspended");
  });
});
