import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { KEY_SERVICE_URL_VARIABLE, KeyServiceClient } from "../../src/relief/key-service-client.js";
import { openSession, runTask } from "../common.js";

/** `npx hardhat keyservice anchor`: a signed request to anchor the log's head now. */
export default async function (args: { url: string; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const url = args.url !== "" ? args.url : (process.env[KEY_SERVICE_URL_VARIABLE] ?? "");
    if (url === "") throw new LedgerError(`give --url or set ${KEY_SERVICE_URL_VARIABLE}`);
    const s = await openSession(hre, args.from);
    const r = await new KeyServiceClient(url, s.signer, s.deployment.chainId).anchor();
    console.log(
      r.anchored === null
        ? `nothing to anchor: the chain holds the log's head after ${r.count} entries already`
        : `anchored the log's head ${r.head} after ${r.count} entries`,
    );
  });
}
