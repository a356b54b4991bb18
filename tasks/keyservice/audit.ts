import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { auditLog, fetchLog } from "../../src/keyservice/audit.js";
import { KEY_SERVICE_URL_VARIABLE } from "../../src/relief/key-service-client.js";
import { openReader, runTask } from "../common.js";

/** `npx hardhat keyservice audit`: the log's chain and its anchor, checked from the outside. */
export default async function (args: { url: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const url = args.url !== "" ? args.url : (process.env[KEY_SERVICE_URL_VARIABLE] ?? "");
    if (url === "") throw new LedgerError(`give --url or set ${KEY_SERVICE_URL_VARIABLE}`);
    const d = await openReader(hre);
    if (d.keyServiceAnchor === undefined) throw new LedgerError("no KeyServiceAnchor in this deployment");
    const log = await fetchLog(url);
    const audit = await auditLog(log.entries, d.keyServiceAnchor);
    if (args.json) console.log(JSON.stringify(audit, null, 2));
    else {
      console.log(
        `log: ${audit.count} entries, head ${audit.head}, hash chain ${audit.chainOk ? "unbroken" : "BROKEN"}`,
      );
      console.log(
        `anchor on chain: ${audit.anchoredCount} entries, head ${audit.anchoredHead}: ${audit.anchorOk ? "matches the log" : "DOES NOT MATCH"}`,
      );
    }
    if (audit.problems.length > 0) throw new LedgerError(audit.problems.join("; "));
  });
}
