import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { listOrganisations, parseOrgKind } from "../../src/registry.js";
import { printTable } from "../../src/format.js";
import { openReader, runTask } from "../common.js";
import { orgJson } from "./format.js";

export default async function (args: { kind: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const kind = args.kind === "" ? undefined : parseOrgKind(args.kind);
    const d = await openReader(hre);
    const orgs = await listOrganisations(d, { kind });
    if (args.json) {
      console.log(JSON.stringify(orgs.map(orgJson), null, 2));
      return;
    }
    if (orgs.length === 0) {
      console.log(kind === undefined ? "no organisations registered" : `no ${kind.label} organisations registered`);
      return;
    }
    printTable(
      ["kind", "name", "credit code", "account", "status"],
      orgs.map((o) => [`${o.kind.label} ${o.kind.zh}`, o.name, o.creditCode, o.account, o.status]),
    );
    console.log(`${orgs.length} organisation${orgs.length === 1 ? "" : "s"} on chain ${d.chainId}`);
  });
}
