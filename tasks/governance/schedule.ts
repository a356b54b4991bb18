import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireCouncil } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { scheduleOperation } from "../../src/governance/council.js";
import { describeCall } from "../../src/governance/describe.js";
import { encodeCouncilCall } from "../../src/governance/encode.js";
import { listOrganisations } from "../../src/registry.js";
import { jsonText, openSession, runTask } from "../common.js";

interface Args {
  contract: string;
  function: string;
  args: string[];
  delay: string;
  json: boolean;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (args.delay !== "" && !/^\d+$/.test(args.delay))
      throw new LedgerError(`--delay: expected seconds, got ${args.delay}`);
    const { deployment: d, signer, overrides } = await openSession(hre, args.from);
    const call = encodeCouncilCall(d, args.contract, args.function, args.args);
    const names = new Map((await listOrganisations(d)).map((o) => [o.account.toLowerCase(), o.name]));
    const words = describeCall(d.addresses, call.target, call.data, (a) => names.get(a.toLowerCase()));
    const op = await scheduleOperation(requireCouncil(d), signer, call, {
      overrides,
      ...(args.delay !== "" ? { delay: BigInt(args.delay) } : {}),
    });
    if (args.json) {
      console.log(jsonText({ ...op, en: words.en, zh: words.zh, proposer: signer.address }));
      return;
    }
    console.log(`scheduled ${op.id}`);
    console.log(`  ${words.zh}`);
    console.log(`  ${words.en}`);
    console.log(
      `  ready at ${new Date(Number(op.readyAt) * 1000).toISOString()} (chain time); until then any department may cancel it`,
    );
    console.log(
      `  execute: npx hardhat governance execute ${op.id} --network ${hre.globalOptions.network ?? "<name>"}`,
    );
  });
}
