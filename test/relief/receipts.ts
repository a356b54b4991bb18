/**
 * Receipt codes of relief payments (ReliefReceipts, src/relief/receipt-code.ts): the 台山 story binds one
 * code's hash to each household's payment, by the proposing village; the binding is refused to anyone
 * else, for a project's payment, a rejected or unknown one, twice for one payment and twice for one code.
 * The code itself never reaches the chain; its check catches a mistyped code; ID and phone numbers are
 * recognised so the explorer can refuse them.
 */
import { expect } from "chai";
import { ZeroHash, getBytes, hexlify, id } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { requireRelief, requireReliefReceipts } from "../../src/deployment.js";
import { scanChainForTexts } from "../../src/dev/pii.js";
import { RELIEF_ACCOUNTS as A, runTaishanStory } from "../../src/dev/relief-story.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { attestationOf } from "../../src/relief/attestations.js";
import * as ledger from "../../src/relief/ledger.js";
import {
  formatReliefReceiptCode,
  looksLikePersonalNumber,
  looksLikeReliefReceiptCode,
  newReliefReceiptCode,
  parseReliefReceiptCode,
  reliefReceiptHash,
} from "../../src/relief/receipt-code.js";
import { explain } from "../../src/refusals.js";
import { ROLE } from "../../src/roles.js";
import { CATEGORIES } from "../../src/relief/vocabulary.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

describe("relief receipt codes", function () {
  this.timeout(300_000);

  async function storyFixture() {
    const d = await deployWithSamples(connection, () => {});
    const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const story = await runTaishanStory(
      d,
      (a) => ethers.getSigner(a),
      o,
      () => {},
    );
    return { d, o, story };
  }

  describe("codes", function () {
    it("prints 80 random bits with a check, reads them back however typed, and refuses a mistyped one", function () {
      const secret = getBytes("0x0123456789abcdef0123");
      const code = formatReliefReceiptCode(secret);
      expect(code).to.match(/^RP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
      expect(hexlify(parseReliefReceiptCode(code)!)).to.equal(hexlify(secret));
      // Lower case, no hyphens, O for 0 and l for 1 (Crockford): the same code.
      const typed = code.toLowerCase().replaceAll("-", " ").replaceAll("0", "o").replaceAll("1", "l");
      expect(hexlify(parseReliefReceiptCode(typed)!)).to.equal(hexlify(secret));
      expect(reliefReceiptHash(typed)).to.equal(reliefReceiptHash(code));
      // One character changed: the check fails (the last group is the check).
      const body = code.slice(3, 7);
      const changed = code.replace(body, body[0] === "A" ? "B" + body.slice(1) : "A" + body.slice(1));
      expect(parseReliefReceiptCode(changed)).to.equal(undefined);
      expect(() => reliefReceiptHash(changed)).to.throw(/not a valid RP- receipt code/);
      expect(looksLikeReliefReceiptCode(changed)).to.equal(true);
      // Fresh codes differ.
      expect(new Set([...Array(50)].map(() => newReliefReceiptCode())).size).to.equal(50);
    });

    it("recognises ID and mobile numbers, spaced or not, and leaves hashes, codes and barcodes alone", function () {
      for (const t of [
        "44078119800101123X",
        "440781 19800101 1234",
        "440781198001011",
        "13812345678",
        "+86 138-1234-5678",
      ]) {
        expect(looksLikePersonalNumber(t), t).to.equal(true);
      }
      for (const t of [
        "0x" + "1234567890".repeat(6) + "1234",
        "6901234500028",
        "06901234500028",
        "JM-FLOOD-2026",
        "XHCP-2026-D01",
        newReliefReceiptCode(),
        "江门市慈善会",
      ]) {
        expect(looksLikePersonalNumber(t), t).to.equal(false);
      }
    });
  });

  describe("ReliefReceipts", function () {
    it("binds each household payment of the story to its code's hash, by the proposing village", async function () {
      const { d, story } = await networkHelpers.loadFixture(storyFixture);
      const receipts = requireReliefReceipts(d);
      expect(story.notices).to.have.length(49);
      const bound = await receipts.queryFilter(receipts.filters.ReceiptBound());
      expect(bound).to.have.length(49);
      for (const n of story.notices) {
        const hash = reliefReceiptHash(n.receiptCode);
        expect(await receipts.disbursementOf(hash)).to.equal(n.disbursementId);
        expect(await receipts.receiptOf(n.disbursementId)).to.equal(hash);
        const e = bound.find((x) => x.args.receiptHash === hash)!;
        const x = await ledger.getDisbursement(d, n.disbursementId);
        expect(e.args.disbursementId).to.equal(n.disbursementId);
        expect(e.args.by).to.equal(x!.holder);
        expect(e.args.programmeId).to.equal(story.programmeId);
      }
      expect(await receipts.ledger()).to.equal(await requireRelief(d).getAddress());
    });

    it("never puts a code on chain: neither its text nor its random bytes", async function () {
      const { story } = await networkHelpers.loadFixture(storyFixture);
      const texts = story.notices.flatMap((n) => [n.receiptCode, n.receiptCode.replaceAll("-", "")]);
      expect(await scanChainForTexts(ethers.provider, texts)).to.deep.equal([]);
      const secrets = story.notices.map((n) => hexlify(parseReliefReceiptCode(n.receiptCode)!).slice(2));
      const block = await ethers.provider.getBlockNumber();
      const logs = await ethers.provider.getLogs({ fromBlock: 0, toBlock: block });
      const written = logs.map((l) => l.data + l.topics.join("")).join("");
      for (const s of secrets) expect(written).to.not.include(s);
    });

    it("refuses a second code for a payment, a code used twice, another organisation, a project payment and unknown payments", async function () {
      const { d, o, story } = await networkHelpers.loadFixture(storyFixture);
      const receipts = requireReliefReceipts(d);
      const relief = requireRelief(d);
      const fushi = await ethers.getSigner(A.fushi);
      const shencun = await ethers.getSigner(A.shencun);
      const paid = story.notices.find((n) => n.village.includes("浮石村"))!;
      const taken = reliefReceiptHash(paid.receiptCode);

      // A second programme with one unbound payment of 浮石村's first household.
      const finance = await ethers.getSigner(A.finance);
      const rural = await ethers.getSigner(A.ruralAffairs);
      const { value: programmeB } = await ledger.createProgramme(
        d,
        finance,
        "TS-IND-2026-B",
        {
          category: CATEGORIES.indexOf("industry"),
          fiscalYear: 2026,
          periods: 1,
          approverRole: Number(ROLE.RURAL_AFFAIRS),
          requiredAttestations: 1 << attestationOf("LIFTED_FROM_POVERTY").kind,
          budget: 1_000_000n,
          perBeneficiaryCap: 300_000n,
        },
        id("programme B"),
        o,
      );
      await ledger.allocate(d, finance, programmeB, A.fushi, 500_000n, id("allocation B"), o);
      const key = (await relief.disbursement(paid.disbursementId)).recipient;
      const terms = { amount: 100_000n, paymentRefHash: id("ref B") };
      const { value: fresh } = await ledger.proposeDisbursement(
        d,
        fushi,
        { programmeId: programmeB, period: 1, key, ...terms },
        o,
      );
      const refusal = (p: Promise<unknown>) =>
        p.then(
          () => expect.fail("went through"),
          (e: unknown) => e,
        );

      await expect(receipts.connect(fushi).bindReceipt(paid.disbursementId, id("another code")))
        .to.be.revertedWithCustomError(receipts, "ReliefReceiptsAlreadyBound")
        .withArgs(paid.disbursementId, taken);
      await expect(receipts.connect(fushi).bindReceipt(fresh, taken))
        .to.be.revertedWithCustomError(receipts, "ReliefReceiptsReceiptTaken")
        .withArgs(taken, paid.disbursementId);
      await expect(receipts.connect(shencun).bindReceipt(fresh, id("code B")))
        .to.be.revertedWithCustomError(receipts, "ReliefReceiptsNotProposer")
        .withArgs(fresh, A.fushi, A.shencun);
      await expect(receipts.connect(fushi).bindReceipt(fresh, ZeroHash)).to.be.revertedWithCustomError(
        receipts,
        "ReliefReceiptsZeroHash",
      );
      const unknown = id("no such disbursement");
      await expect(receipts.connect(fushi).bindReceipt(unknown, id("code C")))
        .to.be.revertedWithCustomError(receipts, "ReliefReceiptsUnknownDisbursement")
        .withArgs(unknown);
      const milestone = (await relief.queryFilter(relief.filters.DisbursementProposed())).find(
        (e) => e.args.kind === 1n,
      )!;
      const doushan = await ethers.getSigner(A.doushan);
      await expect(receipts.connect(doushan).bindReceipt(milestone.args.disbursementId, id("code D")))
        .to.be.revertedWithCustomError(receipts, "ReliefReceiptsNotBeneficiaryPayment")
        .withArgs(milestone.args.disbursementId);

      // Rejected (here withdrawn by its proposer): no receipt for a payment that is not made.
      await ledger.rejectDisbursement(d, rural, fresh, id("withdrawn"), o);
      const e = await refusal(ledger.bindReceipt(d, fushi, fresh, id("code E"), o));
      expect(explain(e).message).to.match(/was rejected or withdrawn: it gets no receipt code/);

      // The library's sentence for a second code names the rule.
      const again = await refusal(ledger.bindReceipt(d, fushi, paid.disbursementId, id("code F"), o));
      expect(explain(again).message).to.match(/already has a receipt code .*never replaced/);
    });
  });
});
