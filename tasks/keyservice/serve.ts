import { join } from "node:path";
import { fileURLToPath } from "node:url";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { KeyServiceStore } from "../../src/keyservice/log.js";
import { startKeyService } from "../../src/keyservice/server.js";
import { LOCAL_CHAIN_ID } from "../../src/networks.js";
import { DEV_RELIEF_SECRET, RELIEF_SECRET_VARIABLE, parseReliefSecret } from "../../src/relief/key.js";
import { openSession, runTask } from "../common.js";
import { reliefSecret } from "../relief/common.js";

export interface KeyServiceArgs {
  host: string;
  port: number;
  db: string;
  from: string;
  anchorInterval: number;
  requestsPerMinute: number;
  keysPerHour: number;
  window: number;
}

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** `npx hardhat keyservice`: serves until Ctrl-C. */
export default async function (args: KeyServiceArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (args.port < 0 || args.port > 65_535) throw new LedgerError(`--port must be 0..65535, got ${args.port}`);
    if (args.anchorInterval < 0) throw new LedgerError(`--anchor-interval must not be negative`);
    if (args.requestsPerMinute < 1 || args.keysPerHour < 1) throw new LedgerError("the limits must be at least 1");
    if (args.window < 5) throw new LedgerError("--window must be at least 5 s");
    const s = await openSession(hre, args.from);
    const chainId = s.deployment.chainId;
    let secret: Buffer;
    try {
      secret = await reliefSecret(hre);
    } catch (e) {
      // The development chain's well-known secret, so that `npm run chain` + the demo work with no set-up.
      if (chainId !== BigInt(LOCAL_CHAIN_ID) && chainId !== 31337n) throw e;
      console.error(`dev only: ${RELIEF_SECRET_VARIABLE} is not set; using the development chain's published secret`);
      secret = parseReliefSecret(DEV_RELIEF_SECRET);
    }
    const anchor = s.deployment.addresses.KeyServiceAnchor;
    if (anchor === undefined) console.error("no KeyServiceAnchor in this deployment: the log is kept but not anchored");
    const dir = args.db !== "" ? args.db : join(PROJECT_DIR, ".zhixin", "keyservice", `chain-${chainId}`);
    const store = await KeyServiceStore.open(dir);
    const service = await startKeyService({
      secret,
      deployment: s.deployment,
      ...(anchor !== undefined ? { anchorAddress: anchor, anchorSigner: s.signer } : {}),
      overrides: s.overrides,
      store,
      limits: { requestsPerMinute: args.requestsPerMinute, keysPerHour: args.keysPerHour },
      windowSeconds: args.window,
      anchorIntervalMs: args.anchorInterval * 1000,
      host: args.host,
      port: args.port,
    });
    const { count, head } = await store.head();
    console.log(`key service for chain ${chainId} at ${service.url} (key version ${service.keyVersion})`);
    console.log(`  storage  PGlite in ${dir}: ${count} log entries, head ${head}`);
    console.log(
      `  anchor   ${anchor ?? "(none)"} by ${s.signer.address}, every ${args.anchorInterval === 0 ? "(on demand only)" : `${args.anchorInterval} s`}`,
    );
    console.log(`  clients  set ZHIXIN_KEY_SERVICE_URL=${service.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    console.log("anchoring the log's head before stopping");
    await service.anchorNow().catch((e: unknown) => console.error(`could not anchor: ${(e as Error).message}`));
    await service.close();
  });
}
