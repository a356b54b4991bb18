/**
 * `npm run chain`: Anvil on 127.0.0.1:8545 shaped like a free-gas consortium chain
 * (chain id 750, gas price 0, base fee 0, EVM paris), its state kept in `.chain/` so a
 * restart keeps every block and balance. Ctrl-C stops it cleanly and saves the state.
 *
 *   npm run chain -- [--port 8545] [--block-time 2] [--data .chain] [--fresh]
 */
import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";

import { startAnvil } from "../src/dev/anvil.js";
import { LOCAL_CHAIN_ID } from "../src/networks.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    "block-time": { type: "string" },
    data: { type: "string", default: ".chain" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run chain -- [options]
  --port <n>        port on 127.0.0.1 (default 8545)
  --block-time <s>  mine a block every s seconds, like QBFT (default: a block per transaction)
  --data <dir>      folder for the chain's state (default .chain)
  --fresh           delete the saved state and the local deployment records first`);
  process.exit(0);
}

const port = Number(values.port);
const blockTimeText = values["block-time"];
const blockTime = blockTimeText === undefined ? undefined : Number(blockTimeText);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Error: invalid --port ${JSON.stringify(values.port)}: must be 1 to 65535`);
  process.exit(2);
}
if (blockTime !== undefined && (!Number.isInteger(blockTime) || blockTime < 1)) {
  console.error(`Error: invalid --block-time ${JSON.stringify(blockTimeText)}: must be a whole number of seconds >= 1`);
  process.exit(2);
}
if (values.fresh) {
  await rm(values.data, { recursive: true, force: true });
  await rm(`deploy/deployments/chain-${LOCAL_CHAIN_ID}`, { recursive: true, force: true });
}

// Ctrl-C reaches Anvil too (same process group); it saves its state and exits.
const stopOn = (signal: NodeJS.Signals) =>
  process.on(signal, () => {
    console.log(`\n${signal}: stopping the chain and saving its state to ${values.data}/state.json`);
    void anvil.stop().then(() => process.exit(0));
  });

const anvil = await startAnvil({
  port,
  chainId: LOCAL_CHAIN_ID,
  blockTime,
  dataDir: values.data,
  stdio: "ignore",
});
stopOn("SIGINT");
stopOn("SIGTERM");
console.log(
  `Zhixin Ledger local chain: ${anvil.url}, chain id ${LOCAL_CHAIN_ID}, gas price 0, ${blockTime === undefined ? "a block per transaction" : `a block every ${blockTime} s`}; state in ${values.data}/state.json. Ctrl-C to stop.`,
);
anvil.process.once("exit", (code) => {
  console.error(`anvil exited (code ${code})`);
  process.exit(code ?? 1);
});
