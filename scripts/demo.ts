/**
 * `npm run demo`: the whole product on Hardhat's in-process network with no set-up:
 * deploy, register the sample organisations, and print the registry.
 */
import { network } from "hardhat";

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
