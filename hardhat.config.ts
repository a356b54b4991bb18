import { fileURLToPath } from "node:url";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { LOCAL_CHAIN_ID, LOCAL_RPC_URL } from "./src/networks.js";
import { UPGRADEABLE_SOURCES, UPGRADE_TEST_SOURCES } from "./src/upgradeable.js";
import { charityTasks } from "./tasks/charity/index.js";
import { explorerTasks } from "./tasks/explorer/index.js";
import { keyServiceTasks } from "./tasks/keyservice/index.js";
import { governanceTasks } from "./tasks/governance/index.js";
import { orgTasks } from "./tasks/org/index.js";
import { reliefTasks } from "./tasks/relief/index.js";
import { traceTasks } from "./tasks/trace/index.js";
import { verifyTasks } from "./tasks/verify/index.js";

// The one pinned compiler: solcjs from the npm `solc` package. Hardhat loads a
// non-binary `path` as solcjs, so `npx hardhat build` never downloads anything.
const SOLC_VERSION = "0.8.28";
const solcPath = fileURLToPath(import.meta.resolve("solc/soljson.js"));

const consortiumChainId = process.env.CONSORTIUM_CHAIN_ID;
// Each department signs with its own key, CONSORTIUM_PRIVATE_KEY (keystore or environment). A process that
// acts for several organisations at once (the demo, the consortium tests) lists their keys, comma-separated,
// in CONSORTIUM_PRIVATE_KEYS instead. Either way the keys stay here: nodes never hold a department's key.
const consortiumKeys = process.env.CONSORTIUM_PRIVATE_KEYS?.split(",")
  .map((k) => k.trim())
  .filter((k) => k !== "");
const fuzzSeed = process.env.ZHIXIN_FUZZ_SEED;
// Runs of the `deep` profile (10,000 unless set: bench/fuzz-time.ts times smaller runs to extrapolate).
const fuzzRuns = Number(process.env.ZHIXIN_FUZZ_RUNS ?? 10_000);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  tasks: [
    ...orgTasks,
    ...charityTasks,
    ...traceTasks,
    ...reliefTasks,
    ...explorerTasks,
    ...keyServiceTasks,
    ...governanceTasks,
    ...verifyTasks,
  ],
  solidity: {
    version: SOLC_VERSION,
    path: solcPath,
    // The permission hub is OpenZeppelin's AccessManager itself, deployed unmodified; the council is its
    // TimelockController, unmodified too; every ledger sits behind OpenZeppelin's transparent proxy and its
    // ProxyAdmin, also unmodified (README, "Governance" and "Upgrades").
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
      "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol",
      "@openzeppelin/contracts/proxy/transparent/ProxyAdmin.sol",
    ],
    // One compilation job per file: solcjs (WebAssembly) runs out of memory compiling all the test
    // contracts in one job from a clean checkout.
    isolated: true,
    settings: {
      // Consortium chains (Besu QBFT, BSN) may not know PUSH0: compile for paris.
      evmVersion: "paris",
      optimizer: { enabled: true, runs: 200 },
      // Storage layouts of the upgradeable contracts (and the upgrade test's versions 2) in the build info,
      // for the upgrade-safety check (scripts/upgrade-layouts.ts). Only these files: asked of every test
      // file, the layouts push solcjs out of memory on the largest ones.
      outputSelection: Object.fromEntries(
        [...UPGRADEABLE_SOURCES, ...UPGRADE_TEST_SOURCES].map((f) => [`project/${f}`, { "*": ["storageLayout"] }]),
      ),
    },
  },
  paths: {
    ignition: "deploy",
  },
  typechain: {
    outDir: "types/ethers-contracts",
  },
  test: {
    solidity: {
      profiles: {
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 32, failOnRevert: false },
        },
        // The profile `.ci/run` selects: more runs and depth 50, within CI's time. Hardhat's
        // fuzzer otherwise always starts from the same seed; `.ci/run` draws a new one per run
        // and prints it, so that a failure can be reproduced with ZHIXIN_FUZZ_SEED=<seed>.
        ci: {
          fuzz: { runs: 1000, ...(fuzzSeed !== undefined ? { seed: fuzzSeed } : {}) },
          invariant: { runs: 256, depth: 50, failOnRevert: false },
        },
        // `npm run test:fuzz`: every invariant suite at 10,000 runs of depth 50 and every fuzz test at
        // 10,000 runs; `.ci/run` runs all of it (bench/RESULTS.md has how long each suite takes).
        // (`fuzz` is a reserved name.)
        deep: {
          fuzz: { runs: fuzzRuns, ...(fuzzSeed !== undefined ? { seed: fuzzSeed } : {}) },
          invariant: { runs: fuzzRuns, depth: 50, failOnRevert: false },
        },
      },
    },
  },
  networks: {
    // In-process network for tests and the demo (the default).
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
    },
    // Anvil started by `npm run chain`: free gas like a Besu QBFT consortium chain.
    localhost: {
      type: "http",
      chainType: "l1",
      url: LOCAL_RPC_URL,
      chainId: LOCAL_CHAIN_ID,
      gasPrice: 0n,
    },
    // A real consortium chain. Nothing secret is committed: the URL and the
    // operator's key come from configuration variables (environment or keystore).
    consortium: {
      type: "http",
      chainType: "l1",
      url: configVariable("CONSORTIUM_RPC_URL"),
      ...(consortiumChainId !== undefined ? { chainId: Number(consortiumChainId) } : {}),
      gasPrice: BigInt(process.env.CONSORTIUM_GAS_PRICE ?? "0"),
      // Without London there is no base fee, and Ignition would then price with eth_gasPrice (geth: 1 gwei
      // and more) unless told: a free-gas chain's departments hold no ether.
      ignition: { gasPrice: BigInt(process.env.CONSORTIUM_GAS_PRICE ?? "0") },
      accounts:
        consortiumKeys !== undefined && consortiumKeys.length > 0
          ? consortiumKeys
          : [configVariable("CONSORTIUM_PRIVATE_KEY")],
    },
  },
});
