/**
 * Verified source: every contract of a fresh deployment is this repository's source (runtime code and
 * metadata hash equal to the compiled artifacts), and a contract whose code differs is not: other code at
 * the address, or the same executable code under another metadata hash. A proxy is followed to its
 * implementation. Then the CLI, as an outsider runs it against a node (Anvil on a free port).
 */
import { expect } from "chai";
import { JsonRpcProvider, zeroPadValue } from "ethers";
import { network } from "hardhat";

import { buildApi } from "../../src/indexer/api.js";
import type { IndexViews } from "../../src/indexer/views/chain.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { ipfsHashOf } from "../../src/verification/metadata.js";
import { verificationReporter, type VerificationReport } from "../../src/verification/report.js";
import {
  EIP1967_IMPLEMENTATION_SLOT,
  decodeMetadata,
  implementationOf,
  splitMetadata,
  verifyContract,
  verifyDeployment,
} from "../../src/verification/source.js";
import { errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  return { d: await deployWithSamples(connection, () => {}) };
}

describe("verified source", function () {
  this.timeout(120_000);

  it("verifies every contract of a fresh deployment: code and metadata hash match, compiler and settings shown", async function () {
    const { d } = await networkHelpers.loadFixture(fixture);
    const results = await verifyDeployment(ethers.provider, { ...d.addresses });
    // The registry and the ledgers sit behind proxies: each is verified as its proxy and its implementation.
    expect(results.map((r) => r.label)).to.deep.equal([
      "AccessManager",
      "OrgRegistry (proxy)",
      "OrgRegistry (implementation)",
      "CharityLedger (proxy)",
      "CharityLedger (implementation)",
      "TraceLedger (proxy)",
      "TraceLedger (implementation)",
      "TraceUnits (proxy)",
      "TraceUnits (implementation)",
      "ReliefLedger (proxy)",
      "ReliefLedger (implementation)",
      "KeyServiceAnchor",
      "PublicNames",
      "ReliefReceipts",
      "DocumentDigests",
      "Council",
      "EmergencyBrake",
    ]);
    for (const r of results) {
      expect(r.verified, `${r.label}: ${r.reason}`).to.equal(true);
      expect(r.match).to.equal("full");
      expect(r.compiler).to.equal("0.8.28+commit.7893614a");
      expect(r.settings).to.deep.include({ evmVersion: "paris", optimizer: { enabled: true, runs: 200 } });
      expect(r.deployedMetadata).to.deep.equal(r.compiledMetadata);
      expect(r.deployedMetadata?.solc).to.equal("0.8.28");
      expect(r.deployedMetadata?.ipfs).to.match(/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/);
      expect(r.reason).to.match(
        /match the compiled .* byte for byte, and the metadata file recompiled with the npm solc has that hash$/,
      );
      expect(r.metadataFile).to.deep.include({
        ipfs: r.deployedMetadata!.ipfs,
        compiler: "0.8.28+commit.7893614a",
        matchesDeployed: true,
        mismatchedSources: [],
      });
    }
    const relief = results.find((r) => r.label === "ReliefLedger (implementation)")!;
    expect(relief.sourceName).to.equal("contracts/relief/ReliefLedger.sol");
    expect(relief.sources.map((s) => s.name)).to.include.members([
      "project/contracts/relief/ReliefLedger.sol",
      "project/contracts/interfaces/IReliefLedger.sol",
    ]);
    const manager = results.find((r) => r.label === "AccessManager")!;
    expect(manager.sources.map((s) => s.name)).to.include(
      "npm/@openzeppelin/contracts@5.7.0/access/manager/AccessManager.sol",
    );

    // What the explorer serves: the same report, and each file's text as compiled.
    const reporter = verificationReporter(ethers.provider, { ...d.addresses });
    expect((await reporter.report()).contracts.every((c) => c.verified)).to.equal(true);
    expect(await reporter.source("ReliefLedger", "project/contracts/relief/ReliefLedger.sol")).to.include(
      "contract ReliefLedger is IReliefLedger, AccessManaged",
    );
    expect(await reporter.source("ReliefLedger", "project/contracts/nowhere.sol")).to.equal(undefined);

    // And through the explorer's API (these routes read no index).
    const app = await buildApi({} as IndexViews, { verification: reporter });
    try {
      const report = await app.inject({ method: "GET", url: "/api/contracts/verification" });
      expect(report.statusCode).to.equal(200);
      const body = report.json() as VerificationReport;
      expect(body.contracts.map((c) => [c.label, c.verified])).to.deep.equal(results.map((r) => [r.label, true]));
      const file = await app.inject({
        method: "GET",
        url: `/api/contracts/source?contract=KeyServiceAnchor&file=${encodeURIComponent("project/contracts/keyservice/KeyServiceAnchor.sol")}`,
      });
      expect(file.statusCode).to.equal(200);
      expect((file.json() as { content: string }).content).to.include("contract KeyServiceAnchor is");
      const missing = await app.inject({
        method: "GET",
        url: "/api/contracts/source?contract=KeyServiceAnchor&file=x.sol",
      });
      expect(missing.statusCode).to.equal(404);
      const openapi = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json() as { paths: object };
      expect(Object.keys(openapi.paths)).to.include.members(["/api/contracts/verification", "/api/contracts/source"]);
    } finally {
      await app.close();
    }
  });

  it("does not verify a contract whose code differs: other code at the address, or another metadata hash", async function () {
    const { d } = await networkHelpers.loadFixture(fixture);
    // The ledgers sit behind proxies: their code is their implementations'.
    const relief = (await implementationOf(ethers.provider, d.addresses.ReliefLedger!))!;
    const charity = (await implementationOf(ethers.provider, d.addresses.CharityLedger!))!;
    // Another contract's code where the ledger should be.
    await networkHelpers.setCode(relief, await ethers.provider.getCode(charity));
    const other = await verifyContract(ethers.provider, {
      label: "ReliefLedger",
      contract: "ReliefLedger",
      address: relief,
    });
    expect(other.verified).to.equal(false);
    expect(other.match).to.equal("none");
    expect(other.reason).to.match(
      /^the deployed code is not the compiled ReliefLedger: they differ from byte \d+ \(\d+ bytes deployed, \d+ compiled\)$/,
    );

    // The very code of the registry, but one byte of its metadata hash changed: compiled from other source text.
    const registry = (await implementationOf(ethers.provider, d.addresses.OrgRegistry))!;
    const code = await ethers.provider.getCode(registry);
    const { executable, cbor } = splitMetadata(code);
    const changedCbor = cbor!.slice(0, 20) + (cbor![20] === "0" ? "1" : "0") + cbor!.slice(21);
    await networkHelpers.setCode(registry, "0x" + executable + changedCbor + code.slice(-4));
    const partial = await verifyContract(ethers.provider, {
      label: "OrgRegistry",
      contract: "OrgRegistry",
      address: registry,
    });
    expect(partial.verified).to.equal(false);
    expect(partial.match).to.equal("partial");
    expect(partial.reason).to.match(
      /^the executable code matches, but the metadata hash does not \(deployed Qm\w+, compiled Qm\w+\)/,
    );
    expect(partial.deployedMetadata?.ipfs).to.not.equal(partial.compiledMetadata?.ipfs);
    // The metadata file recompiled here hashes to the compiled code's hash, not the deployed one.
    expect(partial.metadataFile).to.deep.include({ ipfs: partial.compiledMetadata!.ipfs, matchesDeployed: false });

    // No code at all, and no artifact of that name.
    const empty = await verifyContract(ethers.provider, {
      label: "X",
      contract: "ReliefLedger",
      address: ethers.ZeroAddress,
    });
    expect(empty.reason).to.equal("there is no code at this address");
    const unknown = await verifyContract(ethers.provider, { label: "X", contract: "NoSuchContract", address: relief });
    expect(unknown.reason).to.match(/^no compiled NoSuchContract in .*: run npx hardhat build first$/);
  });

  it("follows a proxy to its implementation (EIP-1967 slot, or given), verifying both", async function () {
    const { d } = await networkHelpers.loadFixture(fixture);
    // Stand-in proxy: the registry's code at a fresh address, its EIP-1967 slot naming the relief ledger.
    const proxy = "0x000000000000000000000000000000000000bEEF";
    const registryCode = await ethers.provider.getCode(
      (await implementationOf(ethers.provider, d.addresses.OrgRegistry))!,
    );
    const reliefImplementation = (await implementationOf(ethers.provider, d.addresses.ReliefLedger!))!;
    await networkHelpers.setCode(proxy, registryCode);
    await networkHelpers.setStorageAt(proxy, EIP1967_IMPLEMENTATION_SLOT, zeroPadValue(reliefImplementation, 32));
    const r = await verifyDeployment(ethers.provider, { ReliefLedger: proxy }, { proxyContract: "OrgRegistry" });
    expect(r.map((x) => [x.label, x.contract, x.address, x.verified])).to.deep.equal([
      ["ReliefLedger (proxy)", "OrgRegistry", ethers.getAddress(proxy), true],
      ["ReliefLedger (implementation)", "ReliefLedger", reliefImplementation, true],
    ]);
    // An implementation passed in wins over the slot; the wrong one is not verified.
    const given = await verifyDeployment(
      ethers.provider,
      { ReliefLedger: proxy },
      {
        proxyContract: "OrgRegistry",
        implementations: { ReliefLedger: (await implementationOf(ethers.provider, d.addresses.TraceLedger!))! },
      },
    );
    expect(given[1]!.verified).to.equal(false);
    expect(given[1]!.address).to.equal(await implementationOf(ethers.provider, d.addresses.TraceLedger!));
  });

  it("hashes a file as IPFS does for solc's metadata hash (CIDv0 of one UnixFS chunk)", function () {
    // `ipfs add --only-hash` of a file holding "hello world\n".
    expect(ipfsHashOf("hello world\n")).to.equal("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  });

  it("decodes the CBOR metadata solc appends", function () {
    // ipfs (34 bytes) and solc 0.8.28, as solc writes them.
    const cbor = "a264697066735822" + "1220" + "11".repeat(32) + "64736f6c634300081c";
    expect(decodeMetadata(cbor)).to.deep.equal({
      ipfs: "QmPVGjYFugq4XUyBfoTHG6c3qxfBS26jEdaFM1gdAVuMZ2",
      solc: "0.8.28",
    });
  });

  describe("the CLI against a node", function () {
    this.timeout(300_000);
    let chain: LocalChain;
    before(async function () {
      chain = await startLocalChain(7950);
      const deployed = await chain.hardhat("run", "scripts/deploy-local.ts");
      expect(deployed.code, deployed.stderr).to.equal(0);
    });
    after(async function () {
      await chain?.dispose();
    });

    it("says every contract of the deployment is verified, then names the one whose code was replaced", async function () {
      const ok = await chain.hardhat("verify-source", "--no-compile");
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(/^ReliefLedger \(implementation\) 0x[0-9a-fA-F]{40}$/m);
      expect(ok.stdout).to.include("  compiler  solc 0.8.28+commit.7893614a; evm paris, optimizer on (200 runs)");
      // The manager, the key service's anchor, the council and the brake, and the registry's and three ledgers'
      // proxies and implementations.
      expect(ok.stdout).to.match(/all 17 contracts verified\n$/);

      const provider = new JsonRpcProvider(chain.url());
      const json = JSON.parse((await chain.hardhat("verify-source", "--no-compile", "--json")).stdout) as {
        label: string;
        address: string;
      }[];
      const trace = json.find((c) => c.label === "TraceLedger (implementation)")!.address;
      const charity = json.find((c) => c.label === "CharityLedger (implementation)")!.address;
      await provider.send("anvil_setCode", [trace, await provider.getCode(charity)]);
      const bad = await chain.hardhat("verify-source", "--no-compile");
      expect(bad.code).to.not.equal(0);
      expect(bad.stdout).to.match(
        /TraceLedger \(implementation\) 0x[0-9a-fA-F]{40}\n(.*\n){3}  verified  NO: the deployed code is not the compiled TraceLedger/,
      );
      expect(errorLines(bad)).to.deep.equal([
        "Error: 1 of 17 contracts are not verified: TraceLedger (implementation)",
      ]);
    });
  });
});
