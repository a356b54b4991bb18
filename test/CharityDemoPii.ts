/**
 * Runs the charity demo story and scans every transaction's calldata and every log it wrote
 * for the donors' names and for ID or mobile numbers: none may be there.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { legacyOverrides } from "../src/chain.js";
import { runFloodReliefStory, DEMO_ACCOUNTS } from "../src/charity/demo-story.js";
import { scanChainForPii, scanChainForTexts } from "../src/pii.js";
import { ROLE } from "../src/roles.js";
import { deployWithSamples } from "../src/setup.js";

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
