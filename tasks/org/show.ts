import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { findOrganisation, rolesHeldBy } from "../../src/registry.js";
import { openReader, runTask } from "../common.js";
import { orgJson } from "./format.js";

export default async function (args: { query: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const org = await findOrganisation(d, args.query);
    if (org === undefined)
      throw new LedgerError(
        `no organisation matches ${JSON.stringify(args.query)} (give an account, a credit code or the exact name)`,
      );
    const roles = await rolesHeldBy(d.manager, org.account);
    if (args.json) {
      console.log(JSON.stringify({ ...orgJson(org), roles }, null, 2));
      return;
    }
    const j = orgJson(org);
    console.log(`${org.name}
  kind           ${j.kind} ${j.kindZh}
  status         ${j.status}
  account        ${j.account}
  credit code    ${j.creditCode}
  metadata hash  ${j.metadataHash}
  registered at  ${j.registeredAt}
  roles held     ${roles.length === 0 ? "none" : roles.join(", ")}`);
  });
}
