/**
 * One run of the demo on one Anvil chain for every test file that reads the demo's data (the explorer's
 * tests): the demo takes minutes, so the first file that asks starts it and the others get the same chain.
 * The chain is stopped by a root-level after-all hook, once every file has run (also when a test failed).
 *
 * Tests may write to the shared chain (a restart, a metadata update), never make it unusable: a test that
 * needs to stop or hang the node puts its own proxy between the explorer and the chain instead.
 */
import { JsonRpcProvider } from "ethers";

import { loadDeployment, type Deployment } from "../../src/deployment.js";
import { FetchJsonRpcProvider } from "../../src/indexer/rpc.js";
import { startLocalChain, type LocalChain } from "./cli.js";
import { runDemoOn, type DemoRun } from "./demo.js";

export interface SharedDemo {
  readonly chain: LocalChain;
  readonly demo: DemoRun;
  /** A provider of the chain, batching like the explorer's (do not destroy it). */
  readonly provider: JsonRpcProvider;
  readonly deployment: Deployment;
}

let shared: Promise<SharedDemo> | undefined;
let started: LocalChain | undefined;
let ready: SharedDemo | undefined;

/** The demo's chain, started (and the demo run) on the first call. */
export function sharedDemo(): Promise<SharedDemo> {
  shared ??= (async () => {
    const chain = await startLocalChain(7700);
    started = chain;
    const demo = await runDemoOn(chain);
    const provider = new FetchJsonRpcProvider(chain.url(), undefined, { batchMaxCount: 100 });
    const deployment = await loadDeployment(provider);
    ready = { chain, demo, provider, deployment };
    return ready;
  })();
  return shared;
}

// A root-level hook (registered once, when the first test file imports this module).
after(async function () {
  this.timeout(60_000);
  // Never waits for a demo still running (a before-all hook that timed out): stopping its chain ends it.
  ready?.provider.destroy();
  await started?.dispose();
});
