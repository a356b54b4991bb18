/**
 * Consortium chains (Besu QBFT, BSN) may predate Shanghai and reject PUSH0 (0x5f). The
 * config compiles for paris; this test proves no deployable bytecode, and none of the code
 * actually deployed, contains the opcode, by disassembling it rather than searching bytes
 * (0x5f is common as PUSH data and inside the CBOR metadata).
 */
import { expect } from "chai";
import { getBytes } from "ethers";
import hre from "hardhat";

import { deployWithSamples } from "../src/setup.js";

const PUSH0 = 0x5f;
const PUSH1 = 0x60;
const PUSH32 = 0x7f;

/** Hex bytecode to bytes; unlinked library placeholders (`__$…$__`, 20 bytes) become zeros. */
function codeBytes(hex: string): Uint8Array {
  const linked = hex.replace(/__\$[0-9a-fA-F]{34}\$__/g, "0".repeat(40));
  return getBytes(linked.startsWith("0x") ? linked : `0x${linked}`);
}

/**
 * The length of the code without solc's trailing CBOR metadata: the last two bytes give,
 * big-endian, the length of the CBOR map that precedes them. Left as is when they cannot
 * (the length overruns the code, or what it points at is not a CBOR map).
 */
function codeLength(code: Uint8Array): number {
  if (code.length < 2) return code.length;
  const cborLength = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - cborLength;
  if (cborLength === 0 || start < 0) return code.length;
  const isMap = (code[start]! & 0xe0) === 0xa0; // CBOR major type 5
  return isMap ? start : code.length;
}

/** Byte offsets of every PUSH0 instruction, skipping PUSH1..PUSH32 data and the metadata. */
function push0Offsets(hex: string): number[] {
  const code = codeBytes(hex);
  const end = codeLength(code);
  const found: number[] = [];
  for (let pc = 0; pc < end; pc++) {
    const op = code[pc]!;
    if (op === PUSH0) found.push(pc);
    else if (op >= PUSH1 && op <= PUSH32) pc += op - PUSH1 + 1;
  }
  return found;
}

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
    ]);
    expect(offences(codes)).to.deep.equal([]);
  });

  // deployWithSamples deploys every domain module: Charity, Trace and Relief, on the one Foundation.
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
      "ReliefLedger",
    ]);
    expect(offences(codes)).to.deep.equal([]);
  });
});
