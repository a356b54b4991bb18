/**
 * The product on four geth v1.13.15 Clique signers at 2-second blocks (README, "A real consortium network"):
 *
 * - throughput: `charity import` of a CSV (batches of 100, each waited for 3 confirmations), donations per
 *   second sustained, Hardhat's start-up included;
 * - the explorer's indexer following node 0 during that import: its lag behind the node's head, sampled;
 * - the CLI's latency to final: single `charity donate` writes at depth 3, beside `org list` (a read: the
 *   Hardhat start-up every command pays).
 *
 *   tsx bench/consortium.ts [--quick]        (needs geth: bash scripts/install-geth.sh)
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { JsonRpcProvider } from "ethers";

import { projectIdOf } from "../src/charity/ids.js";
import { loadDeployment } from "../src/deployment.js";
import { devAccounts, gethBinary, gethInstalled, startCliqueNetwork } from "../src/geth.js";
import { explorerRpc } from "../src/indexer/rpc.js";
import { startExplorer } from "../src/indexer/server.js";
import { QUICK, ROOT, writeResult } from "./lib/common.js";

const started = Date.now();
const ROWS = QUICK ? 1_000 : 3_000;
const BATCH = 100;
const DEPTH = 3;
const SINGLE_WRITES = QUICK ? 3 : 5;
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const PROJECT = "JM-BENCH-GETH";

if (!gethInstalled()) {
  console.error(`bench consortium: geth is not installed at ${gethBinary()}: run bash scripts/install-geth.sh`);
  process.exit(1);
}
const exec = promisify(execFile);
const dev = devAccounts();
const key = (a: string) => dev.find((d) => d.address.toLowerCase() === a.toLowerCase())!.privateKey;
const dir = await mkdtemp(join(tmpdir(), "zhixin-bench-geth-"));
const chainId = 7800 + Math.floor(Math.random() * 100);
const net = await startCliqueNetwork({
  dataDir: join(dir, "net"),
  chainId,
  period: 2,
  members: dev.map((a) => a.address),
});
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function hardhat(as: string | undefined, env: Record<string, string>, ...args: string[]) {
  const t = Date.now();
  const { stdout } = await exec("npx", ["hardhat", ...args, "--network", "consortium"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      CONSORTIUM_RPC_URL: net.urls[0],
      CONSORTIUM_CHAIN_ID: String(chainId),
      ZHIXIN_CONFIRMATIONS: String(DEPTH),
      ...(as === undefined
        ? { CONSORTIUM_PRIVATE_KEYS: dev.map((a) => a.privateKey).join(",") }
        : { CONSORTIUM_PRIVATE_KEY: key(as) }),
      ...env,
    },
  });
  return { stdout, ms: Date.now() - t };
}

try {
  console.log(`bench consortium: 4 signers, chain ${chainId}; deploying`);
  const deploy = await hardhat(undefined, { ZHIXIN_CONFIRMATIONS: "1" }, "run", "scripts/deploy-consortium.ts");
  await hardhat(
    CHARITY,
    {},
    "charity",
    "project",
    "propose",
    PROJECT,
    "--target",
    "100,000,000",
    "--permit-hash",
    "0x" + "55".repeat(32),
  );
  await hardhat(CIVIL_AFFAIRS, {}, "charity", "project", "approve", PROJECT);

  const provider = new JsonRpcProvider(net.urls[0], chainId, { staticNetwork: true });
  const d = await loadDeployment(provider);
  const explorer = await startExplorer({
    provider: await explorerRpc(net.urls[0]!),
    deployment: d,
    location: {},
    port: 0,
    pollMs: 500,
  });
  const lags: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [h, i] = await Promise.all([provider.getBlockNumber(), explorer.indexer.indexedBlock()]);
      lags.push(Math.max(0, h - i));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();

  const rows = ["流水号,项目,金额,捐赠人,渠道"];
  for (let i = 0; i < ROWS; i++) rows.push(`GB-${i},${PROJECT},${10 + (i % 90)}.00,捐赠人${i},微信`);
  const file = join(dir, "donations.csv");
  await writeFile(file, rows.join("\n") + "\n");
  const firstBlock = await provider.getBlockNumber();
  console.log(`bench consortium: importing ${ROWS} donations in batches of ${BATCH}`);
  const imported = await hardhat(
    CHARITY,
    {},
    "charity",
    "import",
    file,
    "--receipts",
    join(dir, "r.csv"),
    "--batch-size",
    String(BATCH),
  );
  const blocks = (await provider.getBlockNumber()) - firstBlock;
  const count = (await d.charity!.project(projectIdOf(CHARITY, PROJECT))).donationCount;

  console.log("bench consortium: single writes to final");
  const reads: number[] = [];
  const writes: number[] = [];
  for (let i = 0; i < SINGLE_WRITES; i++) {
    reads.push((await hardhat(CHARITY, {}, "org", "list", "--json")).ms);
    writes.push(
      (
        await hardhat(
          CHARITY,
          {},
          "charity",
          "donate",
          PROJECT,
          "--ref",
          `GS-${i}`,
          "--amount",
          "8",
          "--donor",
          "某人",
          "--receipts",
          join(dir, "s.csv"),
        )
      ).ms,
    );
  }
  sampling = false;
  await sampler;
  await explorer.close();

  const result = {
    nodes: 4,
    period: 2,
    confirmations: DEPTH,
    deploySeconds: seconds(deploy.ms),
    import: {
      rows: ROWS,
      batch: BATCH,
      recorded: Number(count),
      seconds: seconds(imported.ms),
      blocks,
      donationsPerSecond: Math.round((Number(count) / imported.ms) * 1000 * 10) / 10,
    },
    indexerLag: { samples: lags.length, medianBlocks: median(lags), maxBlocks: Math.max(...lags) },
    latency: {
      writes: writes.map(seconds),
      medianWriteSeconds: seconds(median(writes)),
      medianReadSeconds: seconds(median(reads)),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await writeResult("consortium", started, result);
} finally {
  await net.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(join(ROOT, "deploy/deployments", `chain-${chainId}`), { recursive: true, force: true });
}
