/**
 * Runs the 台山 demo story and checks what it claims: the programme's money adds up holder by holder,
 * 49 households are paid once, the greenhouse's remainder is back with the township; and it scans
 * every transaction's calldata and log for the demo's ID numbers, names and household references,
 * and for ID or mobile numbers of any kind: only keyed hashes may be on chain. It also plays the
 * enumeration attack on plain hashes: every keccak256 of a household reference, alone or in the
 * phrases the demo's documents and 一卡通 payment references use, must be absent (payment references
 * are salted commitments, evidence hashes keyed).
 */
import { expect } from "chai";
import { id as keccakText } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { requireRelief } from "../../src/deployment.js";
import { forEachWritten, scanChainForPii, scanChainForTexts } from "../../src/dev/pii.js";
import { RELIEF_ACCOUNTS, runTaishanStory } from "../../src/dev/relief-story.js";
import { getHolding } from "../../src/relief/ledger.js";
import { deployWithSamples } from "../../src/dev/setup.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

describe("台山 demo story", function () {
  this.timeout(300_000);

  async function storyFixture() {
    const d = await deployWithSamples(connection, () => {});
    const overrides = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const story = await runTaishanStory(
      d,
      (a) => ethers.getSigner(a),
      overrides,
      () => {},
    );
    return { d, story };
  }

  it("pays 49 households and the greenhouse once each, and every fen is accounted for", async function () {
    const { d, story } = await networkHelpers.loadFixture(storyFixture);
    const p = story.tree.programme;
    expect(p.appropriated).to.equal(90_000_000n);
    // 49 × ¥2,000 to households + 2 × ¥100,000 for the greenhouse's milestones (fixed at creation: 3 of ¥100,000).
    expect(p.disbursed).to.equal(49n * 200_000n + 20_000_000n);
    expect(story.tree.totals.beneficiaries).to.equal(49);
    expect(story.tree.totals.reserved).to.equal(0n);
    expect(story.tree.totals.available + p.disbursed).to.equal(p.appropriated);
    const relief = requireRelief(d);
    const project = await relief.project(story.projectId);
    expect(project.status).to.equal(2n); // Accepted
    expect(project.returned).to.equal(10_000_000n);
    const doushan = await getHolding(d, story.programmeId, RELIEF_ACCOUNTS.doushan);
    expect(doushan.available).to.equal(14_000_000n); // 420,000 − 80,000 − 300,000 + 100,000 returned
    const shencun = await getHolding(d, story.programmeId, RELIEF_ACCOUNTS.shencun);
    expect(shencun.returned).to.equal(3_000_000n);
    expect(shencun.available).to.equal(200_000n);
    const f = await relief.finding(story.findingId);
    expect(f.status).to.equal(3n); // Closed
  });

  it("writes none of the demo's ID numbers, names or household references on chain", async function () {
    const { story } = await networkHelpers.loadFixture(storyFixture);
    expect(story.households).to.have.length(50);
    const texts = story.households.flatMap((h) => [h.idNumber, h.name, h.household]);
    expect(await scanChainForTexts(ethers.provider, texts)).to.deep.equal([]);
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
  });

  it("writes no plain hash of a household reference: enumerating them finds nothing", async function () {
    const { story } = await networkHelpers.loadFixture(storyFixture);
    // What an attacker would try: each household record and its number, alone and in the phrases of the
    // demo's documents and payment references (一卡通 references carried them before they were salted).
    const phrases = ["", "一卡通 ", "脱贫户认定 ", "低保认定 ", "种苗购买发票 ", "动态调整 "];
    const dictionary = new Map<string, string>();
    for (const h of story.households) {
      const code = h.household.replace(/^建档立卡 /, "");
      for (const p of phrases) {
        for (const t of [h.household, code, `${h.household} 更正`, `${code} 重复`]) {
          dictionary.set(keccakText(`${p}${t}`).slice(2), `${p}${t}`);
        }
      }
    }
    const found: string[] = [];
    await forEachWritten(ethers.provider, (hex, where) => {
      const data = hex.toLowerCase();
      for (const [hash, text] of dictionary) if (data.includes(hash)) found.push(`${text} at ${where}`);
    });
    expect(found).to.deep.equal([]);
    // The attack works on a plain hash: one written the old way is found.
    const [signer] = await ethers.getSigners();
    await signer!.sendTransaction({
      to: signer!.address,
      data: keccakText(`一卡通 ${story.households[3]!.household}`),
    });
    let again = 0;
    await forEachWritten(ethers.provider, (hex) => {
      for (const hash of dictionary.keys()) if (hex.toLowerCase().includes(hash)) ++again;
    });
    expect(again).to.equal(1);
  });

  it("the scan would find an ID number written in calldata", async function () {
    const { story } = await networkHelpers.loadFixture(storyFixture);
    const [signer] = await ethers.getSigners();
    const leaked = story.households[7]!;
    await signer!.sendTransaction({
      to: signer!.address,
      data: ethers.hexlify(ethers.toUtf8Bytes(`${leaked.name} ${leaked.idNumber}`)),
    });
    expect(await scanChainForTexts(ethers.provider, [leaked.idNumber, leaked.name])).to.have.length(2);
    expect((await scanChainForPii(ethers.provider)).map((h) => h.kind)).to.include("resident-id");
  });
});
