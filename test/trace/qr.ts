/** QR codes as GS1 Digital Links to the configured public explorer, never to a loopback default. */
import { expect } from "chai";

import { PAGES, digitalLinkUrl } from "../../src/indexer/routes.js";
import { PublicUrlMissing, batchLink, publicBaseUrl } from "../../src/trace/qr.js";
import { batchIdOf } from "../../src/trace/vocabulary.js";

describe("trace QR codes", function () {
  let saved: string | undefined;
  beforeEach(function () {
    saved = process.env.ZHIXIN_PUBLIC_URL;
    delete process.env.ZHIXIN_PUBLIC_URL;
  });
  afterEach(function () {
    if (saved === undefined) delete process.env.ZHIXIN_PUBLIC_URL;
    else process.env.ZHIXIN_PUBLIC_URL = saved;
  });

  it("refuses to print a QR code without a configured public explorer, saying how to set it", function () {
    expect(() => publicBaseUrl()).to.throw(PublicUrlMissing, /set ZHIXIN_PUBLIC_URL .* or pass --base-url/);
    expect(() => publicBaseUrl("")).to.throw(PublicUrlMissing);
  });

  it("takes the public URL from the option, else ZHIXIN_PUBLIC_URL", function () {
    process.env.ZHIXIN_PUBLIC_URL = "https://trace.jiangmen.example.cn/";
    expect(publicBaseUrl()).to.equal("https://trace.jiangmen.example.cn");
    expect(publicBaseUrl("https://other.example.org")).to.equal("https://other.example.org");
    expect(() => publicBaseUrl("ftp://x")).to.throw(/http or https/);
  });

  it("encodes a GS1 Digital Link for a GTIN product, padded to 14 digits, else the batch page", function () {
    const base = "https://trace.jiangmen.example.cn";
    const id = batchIdOf("6901234500028", "XH/CP#01");
    expect(batchLink(base, { batchId: id, productCode: "6901234500028", lotCode: "XH/CP#01" })).to.equal(
      "https://trace.jiangmen.example.cn/01/06901234500028/10/XH%2FCP%2301",
    );
    expect(digitalLinkUrl(base, "04012345123456", "998877")).to.equal(`${base}/01/04012345123456/10/998877`);
    const other = batchIdOf("XH-TEA", "T-01");
    expect(batchLink(base, { batchId: other, productCode: "XH-TEA", lotCode: "T-01" })).to.equal(
      `${base}${PAGES.batch(other)}`,
    );
    expect(PAGES.product("4012345123456")).to.equal("/01/04012345123456");
  });
});
