/**
 * Runs the charity demo story and scans every transaction's calldata and every log it wrote
 * for the donors' names and for ID or mobile numbers: none may be there.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { runFloodReliefStory, DEMO_ACCOUNTS, demoDonors } from "../../src/dev/charity-story.js";
import { projectIdOf } from "../../src/charity/ids.js";
import { forEachWritten, scanChainForPii, scanChainForTexts } from "../../src/dev/pii.js";
import { ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

describe("charity demo writes no personal data", function () {
  this.timeout(120_000);
  let workDir: string;

  before(async function () {
    workDir = await mkdtemp(join(tmpdir(), "zhixin-pii-"));
  });
  after(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  async function storyFixture() {
    const d = await deployWithSamples(connection, () => {});
    const overrides = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const story = await runFloodReliefStory(
      d,
      (a) => ethers.getSigner(a),
      overrides,
      join(workDir, "story"),
      () => {},
    );
    return { d, story };
  }

  it("keeps the donors' names in the local receipts file only", async function () {
    const { story } = await networkHelpers.loadFixture(storyFixture);
    expect(story.donorNames.length).to.be.greaterThan(150);
    const receipts = await readFile(join(workDir, "story", "receipts.csv"), "utf8");
    for (const name of story.donorNames) expect(receipts).to.include(name);
    expect(await scanChainForTexts(ethers.provider, story.donorNames)).to.deep.equal([]);
  });

  it("writes no ID number or mobile number anywhere", async function () {
    await networkHelpers.loadFixture(storyFixture);
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
  });

  /** Where the plain keccak256 of any demo reference (a bank serial number) was written. */
  async function plainRefHashes(): Promise<{ ref: string; where: string }[]> {
    const needles = [...demoDonors().map((r) => r.ref), "DN-2026-0712"].map((ref) => ({
      ref,
      bytes: Buffer.from(ethers.id(ref).slice(2), "hex"),
    }));
    const hits: { ref: string; where: string }[] = [];
    await forEachWritten(ethers.provider, (hex, where) => {
      const bytes = Buffer.from(hex.replace(/^0x/, ""), "hex");
      for (const n of needles) if (bytes.includes(n.bytes)) hits.push({ ref: n.ref, where });
    });
    return hits;
  }

  it("writes references only keyed with the charity's reference key, never a plain hash", async function () {
    await networkHelpers.loadFixture(storyFixture);
    expect(await plainRefHashes()).to.deep.equal([]);
  });

  it("would find a plain hash of a reference that did reach the chain (the scan can fail)", async function () {
    const { d } = await networkHelpers.loadFixture(storyFixture);
    const charity = await ethers.getSigner(DEMO_ACCOUNTS.charity);
    const ref = demoDonors()[7]!.ref;
    await (
      await d.charity!.connect(charity).recordDonation(projectIdOf(DEMO_ACCOUNTS.charity, "JM-FLOOD-2026"), {
        refHash: ethers.id(ref),
        amount: 100n,
        donorCommitment: ethers.ZeroHash,
        channel: 0,
        evidenceHash: ethers.ZeroHash,
        receivedOn: 0,
      })
    ).wait();
    expect((await plainRefHashes()).map((h) => h.ref)).to.deep.equal([ref, ref]); // calldata and log
  });

  it("would find a donor's name that did reach the chain (the scan can fail)", async function () {
    const { d, story } = await networkHelpers.loadFixture(storyFixture);
    const name = story.donorNames[3]!;
    const civil = await ethers.getSigner(DEMO_ACCOUNTS.civilAffairs);
    const [stranger] = (await ethers.getSigners()).slice(18);
    await d.registry
      .connect(civil)
      .register(stranger!.address, Number(ROLE.RECIPIENT), `${name}家庭`, "124407004550000719", ethers.ZeroHash);
    const hits = await scanChainForTexts(ethers.provider, story.donorNames);
    expect(hits.map((h) => h.text)).to.include(name);
  });
});
