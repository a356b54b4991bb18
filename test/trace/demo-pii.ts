/**
 * Runs the 新会陈皮 demo story and checks what it claims: the recall reaches every box, the
 * holders' acknowledgements add up, QR codes are written; and it scans every transaction's
 * calldata and log for ID or mobile numbers and for the documents' text (only their hashes
 * may be on chain).
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { requireTrace } from "../../src/deployment.js";
import { scanChainForPii, scanChainForTexts } from "../../src/dev/pii.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { PRODUCTS, runChenpiStory } from "../../src/dev/trace-story.js";
import { batchIdOf } from "../../src/trace/vocabulary.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

describe("新会陈皮 demo story", function () {
  this.timeout(120_000);
  let workDir: string;

  before(async function () {
    workDir = await mkdtemp(join(tmpdir(), "zhixin-trace-demo-"));
  });
  after(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  async function storyFixture() {
    const d = await deployWithSamples(connection, () => {});
    const overrides = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const story = await runChenpiStory(
      d,
      (a) => ethers.getSigner(a),
      overrides,
      join(workDir, "qr"),
      "https://explorer.example.org",
      () => {},
    );
    return { d, story };
  }

  it("recalls every box made from the dried lot, and accounts for all of it, the sold box as reached the consumer", async function () {
    const { d, story } = await networkHelpers.loadFixture(storyFixture);
    const trace = requireTrace(d);
    for (const box of story.boxes) expect(await trace.isRecalled(box)).to.equal(true);
    expect(await trace.isSellable(story.boxes[1]!)).to.equal(false);
    const r = await trace.recallInfo(story.recallId);
    expect(r.affected).to.equal(240_000n);
    // Issue 19: the box sold before the recall is accounted as reached the consumer: 100 %.
    expect(r.accounted).to.equal(240_000n);
    expect(r.acknowledgements).to.equal(11n);
    expect((await trace.batch(story.soldBox)).status).to.equal(4n); // RetailSold
    // Certificate 1 labelled the harvests (released by the drying), certificate 2 the dried lot it backed.
    expect((await trace.giCertificate(1)).labelled).to.equal(0n);
    expect((await trace.giCertificate(2)).labelled).to.equal(240_000n);
  });

  it("writes a PNG and an SVG QR code per box, holding the box's GS1 Digital Link on the public explorer", async function () {
    const { story } = await networkHelpers.loadFixture(storyFixture);
    const files = await readdir(join(workDir, "qr"));
    expect(files.filter((f) => f.endsWith(".png"))).to.have.length(10);
    expect(files.filter((f) => f.endsWith(".svg"))).to.have.length(10);
    const png = await readFile(story.qr[0]!.png);
    expect(png.subarray(1, 4).toString("ascii")).to.equal("PNG");
    // https://<public explorer>/01/<GTIN-14>/10/<lot>, which the explorer resolves to the batch's page.
    const url = new URL(story.qr[0]!.url);
    expect(url.origin).to.equal("https://explorer.example.org");
    const m = /^\/01\/(\d{14})\/10\/([^/]+)$/.exec(url.pathname);
    expect(m, url.pathname).to.not.equal(null);
    expect(m![1]).to.equal(PRODUCTS.chenpi.padStart(14, "0"));
    expect(batchIdOf(m![1]!, decodeURIComponent(m![2]!))).to.equal(story.boxes[0]);
  });

  it("writes no ID or mobile number, and no document text, on chain", async function () {
    await networkHelpers.loadFixture(storyFixture);
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
    expect(
      await scanChainForTexts(ethers.provider, ["二氧化硫", "采收记录", "农残检测报告", "召回通知"]),
    ).to.deep.equal([]);
  });
});
