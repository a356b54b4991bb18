import { expect } from "chai";
import { AbiCoder, hexlify, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { findPiiInHex, findPiiInText, isResidentId, scanChainForPii } from "../src/dev/pii.js";
import { ROLE } from "../src/roles.js";
import { deployWithSamples } from "../src/dev/setup.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

// A made-up ID number with a valid check character, and a made-up mobile number.
const ID = "440781199001011238";
const MOBILE = "13800138000";

describe("personal data on chain", function () {
  it("recognises resident ID numbers by their check character", function () {
    expect(isResidentId(ID)).to.equal(true);
    expect(isResidentId("440781199001011231")).to.equal(false);
    expect(findPiiInText(`身份证 ${ID} 电话 ${MOBILE}`).map((h) => h.kind)).to.deep.equal(["resident-id", "mobile"]);
    expect(findPiiInText("credit code 91440700MA0000026T, amount 12345678901234")).to.deep.equal([]);
  });

  it("finds personal data as text, and as a number in a 32-byte word", function () {
    expect(findPiiInHex(hexlify(toUtf8Bytes(`name=张三;id=${ID}`)))).to.have.length(1);
    const asWord = AbiCoder.defaultAbiCoder().encode(["uint256"], [MOBILE]);
    expect(findPiiInHex(asWord)).to.deep.equal([{ kind: "mobile", text: MOBILE }]);
  });

  async function demoFixture() {
    return deployWithSamples(connection, () => {});
  }

  it("finds none in anything the demo writes", async function () {
    await networkHelpers.loadFixture(demoFixture);
    expect(await scanChainForPii(ethers.provider)).to.deep.equal([]);
  });

  it("would catch an ID number someone put in an organisation's name (the scan can fail)", async function () {
    const d = await networkHelpers.loadFixture(demoFixture);
    const civilAffairs = await ethers.getSigner("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const [stranger] = (await ethers.getSigners()).slice(18);
    await d.registry
      .connect(civilAffairs)
      .register(stranger!.address, Number(ROLE.RECIPIENT), `受助人 ${ID}`, "124407004550000719", ethers.ZeroHash);
    const hits = await scanChainForPii(ethers.provider);
    expect(hits.map((h) => h.text)).to.include(ID);
    expect(hits.some((h) => h.where.startsWith("tx "))).to.equal(true);
    expect(hits.some((h) => h.where.startsWith("log "))).to.equal(true);
  });
});
