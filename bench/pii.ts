/**
 * Personal-data scan over all demo data of every domain: runs the three demo stories (charity,
 * traceability, poverty relief) on one in-process chain, then reads every transaction input and every
 * log topic and data word of every block, looking for resident ID numbers (with a valid check
 * character), mobile numbers, and the demos' own personal texts (donor names, household names, ID
 * numbers, household references, document wording). Also scans the committed sample data files.
 * A control scan of a synthetic leak proves the scanner can fail.
 *
 *   hardhat run bench/pii.ts
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { hexlify, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../src/chain.js";
import { runFloodReliefStory } from "../src/dev/charity-story.js";
import { findPiiInHex, findPiiInText, forEachWritten } from "../src/dev/pii.js";
import { runTaishanStory } from "../src/dev/relief-story.js";
import { deployWithSamples } from "../src/dev/setup.js";
import { runChenpiStory } from "../src/dev/trace-story.js";
import { ROOT, writeResult } from "./lib/common.js";

const started = Date.now();
const connection = await network.create();
const { ethers } = connection;
const d = await deployWithSamples(connection, () => {});
const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
const signerFor = (a: string) => ethers.getSigner(a);
const work = await mkdtemp(join(tmpdir(), "zhixin-bench-pii-"));

try {
  const charity = await runFloodReliefStory(d, signerFor, o, join(work, "charity"), () => {});
  await runChenpiStory(d, signerFor, o, join(work, "qr"), "https://explorer.example.org", () => {});
  const relief = await runTaishanStory(d, signerFor, o, () => {});

  const needles = [
    ...charity.donorNames,
    ...relief.households.flatMap((h) => [h.idNumber, h.name, h.household]),
    "二氧化硫",
    "采收记录",
    "农残检测报告",
    "召回通知",
  ].filter((t, i, all) => t !== "" && all.indexOf(t) === i);
  const needleBytes = needles.map((t) => ({ text: t, bytes: Buffer.from(t, "utf8") }));

  let inputs = 0;
  let logParts = 0;
  let bytes = 0;
  const hits: { kind: string; text: string; where: string }[] = [];
  const scan = (hex: string, where: string) => {
    const isInput = where.startsWith("tx ");
    if (isInput) inputs++;
    else logParts++;
    const b = Buffer.from(hex.replace(/^0x/, ""), "hex");
    bytes += b.length;
    for (const h of findPiiInHex(hex, isInput)) hits.push({ ...h, where });
    for (const n of needleBytes) if (b.includes(n.bytes)) hits.push({ kind: "demo text", text: n.text, where });
  };
  const blocks = await ethers.provider.getBlockNumber();
  await forEachWritten(ethers.provider, scan);

  // Committed sample data: organisations (public bodies and companies, public by design) and parameters.
  const files: string[] = [];
  for (const folder of ["deploy/organisations", "deploy/parameters"]) {
    for (const f of await readdir(join(ROOT, folder))) files.push(join(folder, f));
  }
  const fileHits = [];
  for (const f of files) {
    for (const h of findPiiInText(await readFile(join(ROOT, f), "utf8"))) fileHits.push({ ...h, where: f });
  }

  // Controls: the same scanner on a synthetic leak must find it.
  const leak = relief.households[0]!;
  const control = {
    idNumberAsText: findPiiInHex(hexlify(toUtf8Bytes(`x${leak.idNumber}x`)), false).length,
    mobileAsWord: findPiiInHex("0x" + BigInt("13800138000").toString(16).padStart(64, "0"), false).length,
    nameAsText: needleBytes.some((n) => Buffer.from(`..${leak.name}..`).includes(n.bytes)) ? 1 : 0,
  };

  const path = await writeResult("pii", started, {
    domains: ["charity (flood relief)", "traceability (新会陈皮)", "poverty relief (台山)"],
    blocks,
    transactionInputs: inputs,
    logPartsScanned: logParts,
    bytesScanned: bytes,
    demoTexts: needles.length,
    hits,
    sampleFiles: files,
    sampleFileHits: fileHits,
    control,
  });
  console.log(
    `scanned ${blocks} blocks: ${inputs} inputs, ${logParts} log topics/data, ${bytes} bytes, ${needles.length} demo texts: ${hits.length} hits; sample files ${files.length}: ${fileHits.length} hits; controls ${JSON.stringify(control)}`,
  );
  console.log(`written ${path}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
