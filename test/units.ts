import { expect } from "chai";

import { JsonRpcProvider } from "ethers";

import { blockRanges, logRangeOf, MAX_LOG_RANGE } from "../src/chain.js";
import { creditCodeFromBytes18, creditCodeProblem, creditCodeToBytes18, parseCreditCode } from "../src/credit-code.js";
import { findOrgKind, findRole, ORG_KINDS, ROLES } from "../src/roles.js";

describe("library units", function () {
  describe("blockRanges", function () {
    it("splits a range into chunks of at most 5,000 blocks, inclusive at both ends", function () {
      expect(MAX_LOG_RANGE).to.equal(5_000);
      expect([...blockRanges(0, 12_000)]).to.deep.equal([
        [0, 4_999],
        [5_000, 9_999],
        [10_000, 12_000],
      ]);
      expect([...blockRanges(7, 7)]).to.deep.equal([[7, 7]]);
      expect([...blockRanges(8, 7)]).to.deep.equal([]);
    });

    it("rejects a chunk size below one", function () {
      expect(() => [...blockRanges(0, 10, 0)]).to.throw("block range size must be positive");
    });

    it("reads through a node in 5,000-block chunks and through a provider that declares no limit at once", function () {
      const node = new JsonRpcProvider("http://127.0.0.1:1", undefined, { staticNetwork: true });
      try {
        expect(logRangeOf(node)).to.equal(MAX_LOG_RANGE);
      } finally {
        node.destroy();
      }
      expect(logRangeOf(undefined)).to.equal(MAX_LOG_RANGE);
      expect(logRangeOf({ maxLogRange: 0 })).to.equal(MAX_LOG_RANGE);
      expect(logRangeOf({ maxLogRange: "all" })).to.equal(MAX_LOG_RANGE);
      const index = { maxLogRange: Number.POSITIVE_INFINITY };
      expect([...blockRanges(0, 2_000_000, logRangeOf(index))]).to.deep.equal([[0, 2_000_000]]);
      expect([...blockRanges(3, 2, logRangeOf(index))]).to.deep.equal([]);
    });
  });

  describe("credit codes", function () {
    it("accepts a code with the right GB 32100 check character", function () {
      expect(creditCodeProblem("91350100M000100Y43")).to.equal(undefined);
      expect(parseCreditCode(" 53440700mj0000011q ")).to.equal("53440700MJ0000011Q");
    });

    it("says what is wrong with a bad code", function () {
      expect(creditCodeProblem("91350100M000100Y4")).to.equal("must be 18 characters, got 17");
      expect(creditCodeProblem("91350100M000100Y4I")).to.match(/character "I" at position 18 is not allowed/);
      expect(creditCodeProblem("91350100M000100Y44")).to.equal("check character is 4, expected 3");
      expect(() => parseCreditCode("x")).to.throw('invalid credit code "x": must be 18 characters, got 1');
    });

    it("round-trips through the bytes18 stored on chain", function () {
      const hex = creditCodeToBytes18("53440700MJ0000011Q");
      expect(hex).to.have.length(2 + 36);
      expect(creditCodeFromBytes18(hex)).to.equal("53440700MJ0000011Q");
    });
  });

  describe("roles", function () {
    it("numbers roles uniquely and makes every kind admitted by an existing role", function () {
      expect(new Set(ROLES.map((r) => r.id)).size).to.equal(ROLES.length);
      for (const k of ORG_KINDS) expect(ROLES.map((r) => r.label)).to.include(k.admittedBy);
    });

    it("finds a role by label, Chinese name or number", function () {
      expect(findRole("civil-affairs")?.label).to.equal("CIVIL_AFFAIRS");
      expect(findRole("慈善组织")?.label).to.equal("CHARITY");
      expect(findRole("11")?.label).to.equal("VILLAGE");
      expect(findOrgKind("admin")).to.equal(undefined);
      expect(findOrgKind("registrar")).to.equal(undefined);
    });
  });
});
