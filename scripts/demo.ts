/**
 * `npm run demo`: the whole product on Hardhat's in-process network with no set-up: deploy,
 * register the sample organisations, tell the flood-relief story of the charity ledger, the
 * 新会陈皮 story of the traceability ledger and the 台山 industry-support story of the
 * poverty-relief ledger, and print the registry.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { network } from "hardhat";

import { legacyOverrides } from "../src/chain.js";
import { runFloodReliefStory } from "../src/charity/demo-story.js";
import { runTaishanStory } from "../src/relief/demo-story.js";
import { runChenpiStory } from "../src/trace/demo-story.js";
import { explorerBaseUrl } from "../src/trace/qr.js";
import { printTable } from "../src/format.js";
import { listOrganisations } from "../src/registry.js";
import { deployWithSamples } from "../src/setup.js";

const connection = await network.getOrCreate();
const d = await deployWithSamples(connection);

console.log("\n智信链 Zhixin Ledger — organisation registry 机构登记\n");
printTable(
  ["kind 类别", "name 名称", "credit code 统一社会信用代码", "account 账户"],
  (await listOrganisations(d)).map((o) => [`${o.kind.zh} ${o.kind.label}`, o.name, o.creditCode, o.account]),
);

console.log("\n慈善捐赠 Charity: the 2026 flood-relief story\n");
const workDir = await mkdtemp(join(tmpdir(), "zhixin-demo-"));
const { ethers, networkConfig } = connection;
await runFloodReliefStory(
  d,
  (account) => ethers.getSigner(account),
  await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  workDir,
  (line) => console.log(`  ${line}`),
);
console.log(`\nThe donors' receipts (names stay off chain) are in ${join(workDir, "receipts.csv")}`);

console.log("\n产品追溯 Traceability: the 新会陈皮 story\n");
const qrDir = join(workDir, "qr");
await runChenpiStory(
  d,
  (account) => ethers.getSigner(account),
  await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  qrDir,
  explorerBaseUrl(),
  (line) => console.log(`  ${line}`),
);
console.log(`\nQR codes of the retail boxes are in ${qrDir}`);

console.log("\n精准扶贫 Poverty relief: the 台山 industry-support story\n");
await runTaishanStory(
  d,
  (account) => ethers.getSigner(account),
  await legacyOverrides(ethers.provider, networkConfig.gasPrice),
  (line) => console.log(`  ${line}`),
);
