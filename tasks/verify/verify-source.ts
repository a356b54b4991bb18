import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InvalidInputError } from "../../src/errors.js";
import { LedgerError } from "../../src/errors.js";
import { parseAddress } from "../../src/registry.js";
import { type ContractVerification, verifyDeployment } from "../../src/verification/source.js";
import { openReader, runTask } from "../common.js";

interface Args {
  implementation: string;
  noCompile: boolean;
  json: boolean;
}

/** `Label=0x…,Label=0x…` into a map. */
function parseImplementations(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const [label, address] = part.split("=");
    if (label === undefined || address === undefined || label.trim() === "") {
      throw new InvalidInputError("--implementation", part, "must be Label=0xaddress");
    }
    out[label.trim()] = parseAddress("--implementation", address.trim());
  }
  return out;
}

/** The lines `verify-source` prints for one contract. */
export function formatVerification(v: ContractVerification): string {
  const s = v.settings;
  const settings =
    s === undefined
      ? "unknown"
      : `evm ${s.evmVersion ?? "default"}, optimizer ${s.optimizer?.enabled === true ? `on (${s.optimizer.runs ?? 200} runs)` : "off"}`;
  return [
    `${v.label} ${v.address}`,
    `  contract  ${v.contract}${v.sourceName !== undefined ? ` (${v.sourceName})` : ""}`,
    `  compiler  solc ${v.compiler ?? "unknown"}; ${settings}; ${v.sources.length} source files`,
    `  metadata  deployed ${v.deployedMetadata?.ipfs ?? "none"}, compiled ${v.compiledMetadata?.ipfs ?? "none"}` +
      (v.metadataFile !== undefined
        ? `, metadata file recompiled with the npm solc ${v.metadataFile.ipfs} (${v.metadataFile.matchesDeployed ? "the deployed hash" : "NOT the deployed hash"})`
        : ""),
    `  verified  ${v.verified ? "yes" : "NO"}: ${v.reason}`,
  ].join("\n");
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const implementations = parseImplementations(args.implementation);
    if (!args.noCompile) await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
    const d = await openReader(hre);
    const provider = d.manager.runner?.provider;
    if (provider === null || provider === undefined) throw new LedgerError("no provider");
    const results = await verifyDeployment(provider, { ...d.addresses }, { implementations });
    if (args.json) console.log(JSON.stringify(results, null, 2));
    else {
      console.log(`chain ${d.chainId}: ${results.length} contracts`);
      for (const v of results) console.log(formatVerification(v));
    }
    const failed = results.filter((v) => !v.verified);
    if (failed.length > 0) {
      throw new LedgerError(
        `${failed.length} of ${results.length} contracts are not verified: ${failed.map((v) => v.label).join(", ")}`,
      );
    }
    if (!args.json) console.log(`all ${results.length} contracts verified`);
  });
}
