/**
 * Static checks: solhint with the project's rules (recommended + security rules, .solhint.json) over
 * every Solidity file of contracts/ and test/; and PUSH0 in every piece of code deployed by the deploy
 * modules and in every deployable artifact, disassembled. A control compiles the baseline contracts
 * for shanghai, where PUSH0 must be found.
 *
 *   hardhat run bench/static.ts
 */
import { glob, readFile } from "node:fs/promises";
import { join } from "node:path";

import hre, { network } from "hardhat";

import { deployWithSamples } from "../src/dev/setup.js";
import { ROOT, compileBaselines, writeResult } from "./lib/common.js";
import { run } from "./lib/chain.js";
import { push0Offsets } from "./lib/push0.js";

const started = Date.now();

// ---------------------------------------------------------------- solhint
const config = JSON.parse(await readFile(join(ROOT, ".solhint.json"), "utf8")) as {
  extends: string;
  rules: Record<string, string | [string, ...unknown[]]>;
};
const SECURITY_RULES = [
  "avoid-low-level-calls",
  "avoid-sha3",
  "avoid-suicide",
  "avoid-throw",
  "avoid-tx-origin",
  "check-send-result",
  "compiler-version",
  "func-visibility",
  "multiple-sends",
  "no-complex-fallback",
  "no-inline-assembly",
  "not-rely-on-block-hash",
  "not-rely-on-time",
  "reentrancy",
  "state-visibility",
];
const level = (r: string | [string, ...unknown[]] | undefined) => (Array.isArray(r) ? r[0] : (r ?? "default"));
const securityRules = SECURITY_RULES.map((rule) => ({ rule, level: level(config.rules[rule]) }));
const lint = await run(
  "npx",
  ["solhint", "--max-warnings", "0", "-f", "json", "contracts/**/*.sol", "test/**/*.sol"],
  process.env,
  ROOT,
).done;
let reports: { filePath: string; ruleId?: string; severity?: string }[] = [];
try {
  const parsed = JSON.parse(lint.stdout.slice(lint.stdout.indexOf("["))) as unknown[];
  reports = parsed.flat() as typeof reports;
} catch {
  reports = [];
}
const issues = reports.filter((r) => r.ruleId !== undefined);
const files = new Set<string>();
for await (const f of glob(["contracts/**/*.sol", "test/**/*.sol"], { cwd: ROOT })) files.add(f);
const solhint = {
  command: "solhint --max-warnings 0 'contracts/**/*.sol' 'test/**/*.sol'",
  exitCode: lint.code,
  files: files.size,
  issues: issues.length,
  securityIssues: issues.filter((i) => SECURITY_RULES.includes(i.ruleId ?? "")).length,
  securityRules,
  offRules: Object.entries(config.rules)
    .filter(([, r]) => level(r) === "off")
    .map(([k]) => k),
};
console.log(`solhint: exit ${solhint.exitCode}, ${solhint.files} files, ${solhint.issues} issues`);

// ---------------------------------------------------------------- PUSH0
const connection = await network.create();
const d = await deployWithSamples(connection, () => {});
const deployed = [];
for (const [name, address] of Object.entries(d.addresses)) {
  const hex = await connection.ethers.provider.getCode(address);
  deployed.push({ name, address, bytes: (hex.length - 2) / 2, push0: push0Offsets(hex).length });
}
const artifacts = [];
for (const name of [...(await hre.artifacts.getAllFullyQualifiedNames())].sort()) {
  const a = await hre.artifacts.readArtifact(name);
  if (a.deployedBytecode === "0x" || a.deployedBytecode === "") continue;
  if (a.sourceName.startsWith("test/") || a.sourceName.startsWith("forge-std/")) continue;
  artifacts.push({ name, push0: push0Offsets(a.bytecode).length + push0Offsets(a.deployedBytecode).length });
}
const baselines = await compileBaselines("paris");
const control = await compileBaselines("shanghai");
const push0 = {
  deployed,
  artifacts,
  baselinesParis: Object.entries(baselines).map(([n, c]) => ({
    name: n,
    push0: push0Offsets(c.deployedBytecode).length,
  })),
  controlShanghai: Object.entries(control).map(([n, c]) => ({
    name: n,
    push0: push0Offsets(c.deployedBytecode).length,
  })),
};
console.log(
  `PUSH0: deployed ${deployed.map((x) => `${x.name} ${x.push0}`).join(", ")}; artifacts with PUSH0: ${artifacts.filter((a) => a.push0 > 0).length} of ${artifacts.length}; control (shanghai) ${push0.controlShanghai.map((c) => c.push0).join("/")}`,
);
const path = await writeResult("static", started, { solhint, push0 });
console.log(`written ${path}`);
