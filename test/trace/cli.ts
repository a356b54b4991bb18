/**
 * The traceability CLI against a real node (an Anvil this test starts): products, a batch
 * commissioned, certified, split into boxes, shipped and accepted, its history and QR code, a
 * recall that blocks a sale; and bad input refused by field before anything is sent.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { withCheckDigit } from "../../src/dev/trace-story.js";
import { epcClassOf, locationIdOf } from "../../src/trace/epcis/identifiers.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const REGULATOR = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const PRODUCER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const LAB = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const LOGISTICS = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const RICE = withCheckDigit("690123450101"); // 台山大米
const ORIGIN = withCheckDigit("690123459001");
const WAREHOUSE = withCheckDigit("690123459002");

describe("trace CLI on a local Anvil node", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  let dir: string;
  const hardhat = (...args: string[]) => chain.hardhat(...args);
  const ok = async (...args: string[]) => {
    const r = await hardhat(...args);
    expect(r.code, `${args.join(" ")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
    return r.stdout;
  };

  before(async function () {
    chain = await startLocalChain(7600);
    dir = await mkdtemp(join(tmpdir(), "zhixin-trace-cli-"));
    await ok("run", "scripts/deploy-local.ts");
  });

  after(async function () {
    await chain?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("follows 台山大米 from the paddy to the warehouse, and recalls it", async function () {
    await ok("trace", "product", "register", RICE, "--category", "food", "--from", PRODUCER);
    const out = await ok(
      "trace",
      "batch",
      "commission",
      RICE,
      "TS-2026-R01",
      "--quantity",
      "1000",
      "--unit",
      "kg",
      "--location",
      ORIGIN,
      "--from",
      PRODUCER,
    );
    expect(out).to.match(/commissioned .*TS-2026-R01: 1000 KGM/);
    const batch = `${RICE}/TS-2026-R01`;
    await ok(
      "trace",
      "certify",
      batch,
      "--valid-until",
      "2099-12-31",
      "--report-hash",
      "0x" + "ab".repeat(32),
      "--from",
      LAB,
    );
    const split = await ok(
      "trace",
      "split",
      batch,
      "--count",
      "4",
      "--lot-prefix",
      "TS-2026-R01-",
      "--location",
      ORIGIN,
      "--from",
      PRODUCER,
    );
    expect(split).to.include("split").and.include("TS-2026-R01-004");
    const box = `${RICE}/TS-2026-R01-002`;
    await ok("trace", "ship", box, "--to", "江门顺达冷链物流有限公司", "--location", ORIGIN, "--from", PRODUCER);
    // Only the receiver may accept.
    const wrong = await hardhat("trace", "accept", box, "--from", PRODUCER);
    expect(wrong.code).to.not.equal(0);
    expect(errorLines(wrong).join("\n")).to.match(/was shipped to 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f/i);
    await ok("trace", "accept", box, "--location", WAREHOUSE, "--from", LOGISTICS);
    await ok("trace", "event", box, "storing", "--location", WAREHOUSE, "--from", LOGISTICS);

    const shown = await ok("trace", "batch", "show", box, "--json");
    const view = JSON.parse(shown) as { custodian: string; quantity: string; cert: string; status: string };
    expect(view.custodian).to.equal(LOGISTICS);
    expect(view.quantity).to.equal("250000");
    expect(view.cert).to.equal("passed");

    const history = await ok("trace", "history", box);
    expect(history).to.include("江门顺达冷链物流有限公司").and.include("江门市新会区陈皮专业合作社");
    expect(history).to.include("commissioning").and.include("receiving").and.include("storing");
    expect(history).to.include(`${RICE}/TS-2026-R01`);

    const qr = await ok("trace", "qr", box, "--out", join(dir, "qr"), "--base-url", "https://explorer.example.org/");
    expect(qr).to.include(`https://explorer.example.org/01/${RICE.padStart(14, "0")}/10/TS-2026-R01-002`);
    const svg = await readFile(join(dir, "qr", `${RICE}_TS-2026-R01-002.svg`), "utf8");
    expect(svg).to.include("<svg");

    // A fail stands against a later pass until the regulator orders a re-inspection.
    const hash = (b: string) => "0x" + b.repeat(32);
    await ok("trace", "certify", box, "--fail", "--report-hash", hash("e1"), "--from", LAB);
    const shopped = await hardhat(
      "trace",
      "certify",
      box,
      "--valid-until",
      "2099-12-31",
      "--report-hash",
      hash("e2"),
      "--from",
      LAB,
    );
    expect(shopped.code).to.not.equal(0);
    expect(errorLines(shopped)[0]).to.match(/failed inspection: .* cannot pass it until the market regulator/);
    const reopened = await ok("trace", "reinspect", box, "--decision-hash", hash("e3"), "--from", REGULATOR);
    expect(reopened).to.match(/re-inspection allowed: .* is open to a new inspection/);
    expect(JSON.parse(await ok("trace", "batch", "show", box, "--json")).cert).to.equal("none");
    // The regulator corrects the product's category; the product follows at once.
    const same = await hardhat(
      "trace",
      "product",
      "correct",
      RICE,
      "--category",
      "food",
      "--reason-hash",
      hash("e4"),
      "--from",
      REGULATOR,
    );
    expect(same.code).to.not.equal(0);
    expect(errorLines(same)[0]).to.match(/already has category food and producer 0x/);
    const corrected = await ok(
      "trace",
      "product",
      "correct",
      RICE,
      "--category",
      "agricultural",
      "--reason-hash",
      hash("e4"),
      "--from",
      REGULATOR,
    );
    expect(corrected).to.match(/corrected product .*: agricultural, producer 0x/);
    expect(JSON.parse(await ok("trace", "product", "show", RICE, "--json")).category).to.equal("agricultural");

    const recall = await ok("trace", "recall", batch, "--reason-hash", "0x" + "cd".repeat(32), "--from", REGULATOR);
    expect(recall).to.match(/recall 1: .* and 4 batch\(es\) made from it/);
    const moved = await hardhat("trace", "ship", box, "--to", PRODUCER, "--from", LOGISTICS);
    expect(moved.code).to.not.equal(0);
    expect(errorLines(moved)).to.deep.equal([
      expect(errorLines(moved)[0]).to.match(/^Error: the chain refused: batch 0x[0-9a-f]{64} is recalled/) &&
        errorLines(moved)[0],
    ]);
    await ok("trace", "acknowledge", "1", box, "--action", "hold", "--from", LOGISTICS);
    const status = JSON.parse(await ok("trace", "recall-status", "1", "--json")) as {
      accounted: string;
      reach: number;
    };
    expect(status.accounted).to.equal("250");
    expect(status.reach).to.equal(5);
  });

  it("imports an EPCIS document once, however often it is run, and exports a history that parses back", async function () {
    const gtin14 = RICE.padStart(14, "0");
    const doc = {
      "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2026-11-20T08:00:00+08:00",
      epcisBody: {
        eventList: [
          {
            type: "ObjectEvent",
            eventTime: "2026-11-20T07:30:00+08:00",
            eventTimeZoneOffset: "+08:00",
            action: "ADD",
            bizStep: "commissioning",
            disposition: "active",
            quantityList: [{ epcClass: epcClassOf(gtin14, "TS-2026-E01"), quantity: 500, uom: "KGM" }],
            bizLocation: { id: locationIdOf(BigInt(ORIGIN)) },
            sensorElementList: [{ sensorReport: [{ type: "Temperature", value: 12.5, uom: "CEL" }] }],
          },
          {
            type: "ObjectEvent",
            eventTime: "2026-11-20T09:00:00+08:00",
            eventTimeZoneOffset: "+08:00",
            action: "OBSERVE",
            bizStep: "https://ref.gs1.org/cbv/BizStep-storing",
            quantityList: [{ epcClass: epcClassOf(gtin14, "TS-2026-E01"), quantity: 500, uom: "KGM" }],
            bizLocation: { id: locationIdOf(BigInt(ORIGIN)) },
          },
        ],
      },
    };
    const file = join(dir, "rice.jsonld");
    await writeFile(file, JSON.stringify(doc));
    const first = await ok("trace", "epcis", "import", file, "--from", PRODUCER);
    expect(first)
      .to.include("sensorElementList")
      .and.include("imported: 2 recorded, 0 already recorded, 0 waiting for another organisation, 0 refused");
    // Before, "already on chain" was guessed from state and the observation was recorded a second time.
    const again = await ok("trace", "epcis", "import", file, "--from", PRODUCER);
    expect(again).to.include("imported: 0 recorded, 2 already recorded, 0 waiting for another organisation, 0 refused");

    const broken = join(dir, "broken.jsonld");
    await writeFile(
      broken,
      JSON.stringify({ ...doc, epcisBody: { eventList: [{ ...doc.epcisBody.eventList[0], eventTime: undefined }] } }),
    );
    const r = await hardhat("trace", "epcis", "import", broken, "--from", PRODUCER);
    expect(r.code).to.not.equal(0);
    expect(errorLines(r).join("\n")).to.match(/eventList\[0\]\.eventTime/);

    const out = join(dir, "history.jsonld");
    const saved = process.env.ZHIXIN_PUBLIC_URL;
    delete process.env.ZHIXIN_PUBLIC_URL;
    const refused = await hardhat("trace", "epcis", "export", `${RICE}/TS-2026-E01`, "--out", out);
    expect(errorLines(refused).join("\n")).to.match(/set ZHIXIN_PUBLIC_URL/);
    const parties = join(dir, "parties.json");
    await writeFile(parties, JSON.stringify({ [ORIGIN]: PRODUCER }));
    process.env.ZHIXIN_PUBLIC_URL = "https://trace.jiangmen.example.cn";
    try {
      await ok("trace", "epcis", "export", `${RICE}/TS-2026-E01`, "--out", out, "--parties", parties);
    } finally {
      if (saved === undefined) delete process.env.ZHIXIN_PUBLIC_URL;
      else process.env.ZHIXIN_PUBLIC_URL = saved;
    }
    const json = JSON.parse(await readFile(out, "utf8")) as { "@context": unknown };
    expect(json["@context"]).to.deep.equal([
      "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      "https://trace.jiangmen.example.cn/ns/context.jsonld",
    ]);
    const exported = parseEpcisDocument(json, { strict: true });
    expect(exported.actions.map((x) => x.kind)).to.deep.equal(["commission", "observe"]);
    expect(exported.events.every((e) => !e.eventIDComputed)).to.equal(true);
  });

  it("refuses bad input by field before sending anything", async function () {
    const before = await chain.blockNumber();
    const cases: [string[], RegExp][] = [
      [
        ["trace", "product", "register", "6901234501012", "--category", "food", "--from", PRODUCER],
        /check digit is wrong/,
      ],
      [["trace", "product", "register", RICE, "--category", "wine", "--from", PRODUCER], /category.*must be one of/],
      [
        ["trace", "batch", "commission", RICE, "X1", "--quantity", "1.2345", "--location", ORIGIN, "--from", PRODUCER],
        /three decimals/,
      ],
      [
        ["trace", "batch", "commission", RICE, "X1", "--quantity", "-5", "--location", ORIGIN, "--from", PRODUCER],
        /positive decimal/,
      ],
      [
        [
          "trace",
          "batch",
          "commission",
          RICE,
          "X1",
          "--quantity",
          "5",
          "--location",
          "6901234590011",
          "--from",
          PRODUCER,
        ],
        /GLN/,
      ],
      [
        ["trace", "batch", "commission", RICE, "X 1", "--quantity", "5", "--location", ORIGIN, "--from", PRODUCER],
        /lot.*ASCII/,
      ],
      [
        [
          "trace",
          "batch",
          "commission",
          RICE,
          "X1",
          "--quantity",
          "5",
          "--unit",
          "furlong",
          "--location",
          ORIGIN,
          "--from",
          PRODUCER,
        ],
        /unit/,
      ],
      [["trace", "event", `${RICE}/TS-2026-R01-001`, "shipping", "--from", PRODUCER], /use its own command/],
      [["trace", "show-nothing"], /./],
      [["trace", "split", "not-a-batch", "--count", "2", "--lot-prefix", "A", "--from", PRODUCER], /PRODUCT\/LOT/],
      [
        [
          "trace",
          "batch",
          "commission",
          RICE,
          "X1",
          "--quantity",
          "5",
          "--location",
          ORIGIN,
          "--time",
          "yesterday",
          "--from",
          PRODUCER,
        ],
        /ISO 8601/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await hardhat(...args);
      expect(r.code, args.join(" ")).to.not.equal(0);
      expect(r.stderr + r.stdout, args.join(" ")).to.match(message);
    }
    expect(await chain.blockNumber()).to.equal(before);
  });
});
