/**
 * Consortium chains (Besu QBFT, BSN) may predate Shanghai and reject PUSH0 (0x5f). The
 * config compiles for paris; this test proves no deployable bytecode, and none of the code
 * actually deployed, contains the opcode, by disassembling it rather than searching bytes
 * (0x5f is common as PUSH data and inside the CBOR metadata), with bench/lib/push0.ts, the disassembler
 * bench/static.ts counts with.
 */
import { expect } from "chai";
import hre from "hardhat";

import { codeBytes, codeLength, push0Offsets } from "../../bench/lib/push0.js";
import { deployWithSamples } from "../../src/dev/setup.js";

/** "Contract: bytecode PUSH0 at 12, 40" lines for each offending code. */
function offences(codes: readonly { name: string; kind: string; hex: string }[]): string[] {
  return codes.flatMap(({ name, kind, hex }) => {
    const at = push0Offsets(hex);
    return at.length === 0 ? [] : [`${name}: ${kind} has PUSH0 at byte offset ${at.join(", ")}`];
  });
}

describe("No PUSH0 (evm paris)", function () {
  describe("the disassembler", function () {
    it("finds PUSH0 as an instruction", function () {
      expect(push0Offsets("0x60005f00")).to.deep.equal([2]);
      expect(push0Offsets("5f")).to.deep.equal([0]);
    });

    it("does not take PUSH data for an instruction", function () {
      expect(push0Offsets("0x605f00")).to.deep.equal([]);
      expect(push0Offsets(`0x7f${"5f".repeat(32)}00`)).to.deep.equal([]);
      expect(push0Offsets(`0x7f${"5f".repeat(32)}5f`)).to.deep.equal([33]);
      expect(push0Offsets("0x615f")).to.deep.equal([]); // PUSH2 cut short at the end
    });

    it("ignores the trailing CBOR metadata, and only it", function () {
      // {"solc": 0x005f00}: a 10-byte CBOR map whose last bytes read as PUSH0 if disassembled.
      const cbor = "a164736f6c6343005f00";
      expect(push0Offsets(`0x00${cbor}000a`)).to.deep.equal([]);
      expect(push0Offsets(`0x00${cbor}`)).to.deep.equal([9]);
      expect(push0Offsets(`0x5f${cbor}000a`)).to.deep.equal([0]);
    });

    it("reads solc's metadata length from real artifacts", async function () {
      // AccessManager's code ends with an INVALID; the upgradeable ledgers' end with a 32-byte constant
      // (an ERC-7201 storage slot the optimizer keeps as code data), which the scan above may read as code.
      const artifact = await hre.artifacts.readArtifact("AccessManager");
      const code = codeBytes(artifact.deployedBytecode);
      const end = codeLength(code);
      expect(end).to.be.lessThan(code.length);
      expect(code[end]).to.equal(0xa2); // {"ipfs": …, "solc": …}
      expect(code[end - 1]).to.equal(0xfe); // the INVALID that ends the code
    });
  });

  it("no artifact of a deployable contract has PUSH0 in its creation or runtime code", async function () {
    const checked: string[] = [];
    const codes: { name: string; kind: string; hex: string }[] = [];
    for (const name of [...(await hre.artifacts.getAllFullyQualifiedNames())].sort()) {
      const artifact = await hre.artifacts.readArtifact(name);
      if (artifact.deployedBytecode === "0x" || artifact.deployedBytecode === "") continue; // interface or abstract
      // Solidity tests (test/**/*.t.sol, forge-std) only run on the in-process EVM; they also embed the
      // creation code of the contracts they deploy, metadata included, which this scan cannot skip.
      if (artifact.sourceName.startsWith("test/") || artifact.sourceName.startsWith("forge-std/")) continue;
      checked.push(name);
      codes.push({ name, kind: "deployedBytecode", hex: artifact.deployedBytecode });
      codes.push({ name, kind: "bytecode", hex: artifact.bytecode });
    }
    expect(checked).to.include.members([
      "@openzeppelin/contracts/access/manager/AccessManager.sol:AccessManager",
      "contracts/registry/OrgRegistry.sol:OrgRegistry",
      "contracts/charity/CharityLedger.sol:CharityLedger",
      "contracts/trace/TraceLedger.sol:TraceLedger",
      "contracts/relief/ReliefLedger.sol:ReliefLedger",
      "@openzeppelin/contracts/governance/TimelockController.sol:TimelockController",
      "contracts/governance/EmergencyBrake.sol:EmergencyBrake",
    ]);
    expect(offences(codes)).to.deep.equal([]);
  });

  // deployWithSamples deploys every domain module: Charity, Trace and Relief (with the key service's anchor), on the one Foundation.
  it("the code deployed by the deploy modules has no PUSH0", async function () {
    const connection = await hre.network.create();
    const codes: { name: string; kind: string; hex: string }[] = [];
    try {
      const d = await deployWithSamples(connection, () => {});
      for (const [name, address] of Object.entries(d.addresses)) {
        const hex = await connection.ethers.provider.getCode(address);
        expect(hex, name).to.not.equal("0x");
        codes.push({ name, kind: `runtime code at ${address}`, hex });
      }
    } finally {
      await connection.close();
    }
    expect(codes.map((c) => c.name)).to.have.members([
      "AccessManager",
      "OrgRegistry",
      "CharityLedger",
      "TraceLedger",
      "TraceUnits",
      "ReliefLedger",
      "KeyServiceAnchor",
      "PublicNames",
      "ReliefReceipts",
      "DocumentDigests",
      "Council",
      "EmergencyBrake",
    ]);
    expect(offences(codes)).to.deep.equal([]);
  });
});
