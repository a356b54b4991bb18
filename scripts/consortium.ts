/**
 * `npm run consortium`: a real consortium chain on this machine: N geth v1.13.15 Clique signers
 * (default 4) on 127.0.0.1, each with its own data folder and sealing key, peered statically,
 * a block every 2 s, chain id 7507, no London (legacy transactions at gas price 0). The state is
 * kept in `.consortium/` across restarts. Ctrl-C stops every node it started.
 *
 *   npm run consortium -- [--nodes 4] [--port 8645] [--period 2] [--data .consortium] [--fresh]
 */
import { parseArgs } from "node:util";

import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import {
  CONSORTIUM_DEV_CHAIN_ID,
  GETH_VERSION,
  devAccounts,
  gethBinary,
  gethInstalled,
  removeNetwork,
  startCliqueNetwork,
} from "../src/geth.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "4" },
    port: { type: "string", default: "8645" },
    period: { type: "string", default: "2" },
    "chain-id": { type: "string", default: String(CONSORTIUM_DEV_CHAIN_ID) },
    data: { type: "string", default: ".consortium" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run consortium -- [options]
  --nodes <n>       number of Clique signers, each its own geth process (default 4)
  --port <n>        HTTP JSON-RPC port of node 0 on 127.0.0.1; node i uses port + i, its p2p port + 100 + i (default 8645)
  --period <s>      seconds between blocks (default 2, like QBFT)
  --chain-id <n>    chain id of a new network (default ${CONSORTIUM_DEV_CHAIN_ID})
  --data <dir>      folder of the network: keys, genesis, one sub-folder per node (default .consortium)
  --fresh           delete the network and its local deployment records, and start over
geth ${GETH_VERSION} is built once by scripts/install-geth.sh into .tools/geth/ (ZHIXIN_GETH names another).`);
  process.exit(0);
}

const whole = (flag: string, text: string, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`Error: invalid --${flag} ${JSON.stringify(text)}: must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
};
const nodes = whole("nodes", values.nodes, 1, 16);
const port = whole("port", values.port, 1024, 65535 - 300);
const period = whole("period", values.period, 1, 60);
const chainId = whole("chain-id", values["chain-id"], 1, 2 ** 31);

if (!gethInstalled()) {
  console.error(
    `Error: geth ${GETH_VERSION} is not installed at ${gethBinary()}: run bash scripts/install-geth.sh (a few minutes, once)`,
  );
  process.exit(1);
}
if (values.fresh) {
  await removeNetwork(values.data);
  const { rm } = await import("node:fs/promises");
  await rm(`deploy/deployments/chain-${chainId}`, { recursive: true, force: true });
}

const dev = devAccounts();
const network = await startCliqueNetwork({
  dataDir: values.data,
  nodes,
  basePort: port,
  period,
  chainId,
  members: dev.map((a) => a.address),
});
// The sample organisations' keys (the development mnemonic's), for the demo and deploy:consortium.
const keysFile = join(values.data, "demo-keys.env");
await writeFile(
  keysFile,
  `export CONSORTIUM_RPC_URL=${network.urls[0]} CONSORTIUM_CHAIN_ID=${network.chainId}\nexport CONSORTIUM_PRIVATE_KEYS=${dev.map((a) => a.privateKey).join(",")}\n`,
  { mode: 0o600 },
);
let stopping = false;
const stopOn = (signal: NodeJS.Signals) =>
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping ${network.nodes.length} nodes (their state stays in ${values.data}/)`);
    void network.stop().then(() => process.exit(0));
  });
stopOn("SIGINT");
stopOn("SIGTERM");
console.log(
  `Zhixin Ledger consortium chain: ${network.nodes.length} geth ${GETH_VERSION} Clique signers, chain id ${network.chainId}, a block every ${network.period} s, gas price 0 (no London); state in ${values.data}/. Ctrl-C to stop.`,
);
for (const n of network.nodes) console.log(`  node ${n.index}: ${n.url}  signer ${n.signer}  log ${n.dir}/geth.log`);
console.log(
  `Use it: export CONSORTIUM_RPC_URL=${network.urls[0]} CONSORTIUM_CHAIN_ID=${network.chainId} and a department's CONSORTIUM_PRIVATE_KEY;\n` +
    `  for the demo's sample organisations: source ${keysFile}   (README: "A real consortium network")`,
);
for (const n of network.nodes) {
  // A node that dies by itself is reported; the others keep sealing while a majority runs.
  const watch = setInterval(() => {
    if (!n.running && !stopping) {
      console.error(`node ${n.index} exited: see ${n.dir}/geth.log`);
      clearInterval(watch);
    }
  }, 1000);
  watch.unref();
}
// Run until a signal stops the nodes (the interval keeps this process alive).
setInterval(() => {}, 1 << 30);
