/**
 * `npm run demo`: the whole product on Hardhat's in-process network with no set-up:
 * deploy, register the sample organisations, and print the registry.
 */
import { network } from "hardhat";

import { listOrganisations } from "../src/registry.js";
import { deployWithSamples } from "../src/setup.js";

const connection = await network.getOrCreate();
const d = await deployWithSamples(connection);

console.log("\n智信链 Zhixin Ledger — organisation registry 机构登记");
for (const o of await listOrganisations(d)) {
  console.log(`  ${o.kind.zh.padEnd(8, "　")} ${o.kind.label.padEnd(16)} ${o.creditCode}  ${o.account}  ${o.name}`);
}
