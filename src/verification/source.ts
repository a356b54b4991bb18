/**
 * Verified source: does the code at an address come from this repository's sources, compiled with the
 * settings the repository pins? Anyone can answer it with the repository and a node: `npx hardhat build`
 * compiles the sources with the npm `solc` (no compiler is downloaded), and this module compares each
 * deployed contract's runtime bytecode with the compiled artifact, byte for byte, including the CBOR
 * metadata at the end of the code.
 *
 * That metadata holds the IPFS hash of the compiler's metadata file, which itself holds the keccak256
 * of every source file, the compiler version and every setting: two codes with the same metadata hash
 * were compiled from the same sources with the same settings. So a byte-for-byte match including it is
 * what Sourcify calls a full ("perfect") match; executable code equal but metadata different is a
 * partial match (same code, other sources or comments), reported as not verified. Immutable values
 * (none in these contracts today) are the only bytes taken from the chain before comparing.
 *
 * A proxy (ERC-1967) is verified twice: the proxy's own code against its artifact, and the
 * implementation behind it (read from the EIP-1967 slot, or passed in) against the ledger's artifact.
 */
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { type Provider, ZeroAddress, dataSlice, encodeBase58, getAddress, keccak256, toUtf8Bytes } from "ethers";

import { type MetadataCheck, recompileMetadata } from "./metadata.js";
import type { CodeMetadata, ContractVerification } from "./types.js";

export type { CodeMetadata, ContractVerification, SourceFile, VerificationReport } from "./types.js";

/** Where `npx hardhat build` writes the artifacts of this repository. */
export const ARTIFACTS_DIR = fileURLToPath(new URL("../../artifacts", import.meta.url));

/** The EIP-1967 implementation slot: keccak256("eip1967.proxy.implementation") - 1. */
export const EIP1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

/** What to verify: the code at `address` against the artifact of `contract`. */
export interface VerificationTarget {
  /** What the deployment calls it (e.g. ReliefLedger, or "ReliefLedger (proxy)"). */
  readonly label: string;
  /** The artifact's contract name (e.g. ReliefLedger, AccessManager, ERC1967Proxy). */
  readonly contract: string;
  readonly address: string;
}

/** @internal The parts of a Hardhat artifact this reads. */
export interface Artifact {
  readonly contractName: string;
  readonly sourceName: string;
  readonly deployedBytecode: string;
  readonly immutableReferences?: Readonly<Record<string, readonly { start: number; length: number }[]>>;
  readonly deployedLinkReferences?: Readonly<Record<string, unknown>>;
  readonly buildInfoId?: string;
  /** The source's name in the compilation input (project/contracts/…). */
  readonly inputSourceName?: string;
}

/** @internal The parts of a Hardhat build info this reads. */
export interface BuildInfo {
  readonly solcLongVersion: string;
  readonly input: {
    readonly sources: Readonly<Record<string, { readonly content: string }>>;
    readonly settings: {
      readonly evmVersion?: string;
      readonly optimizer?: { enabled?: boolean; runs?: number };
      readonly remappings?: readonly string[];
    };
  };
}

/** Finds the artifact of `contract` (outside test/ and build-info/); undefined when there is none. */
export async function findArtifactPath(contract: string, dir: string = ARTIFACTS_DIR): Promise<string | undefined> {
  const found: string[] = [];
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        const rel = relative(dir, p).split(sep)[0];
        if (rel === "build-info" || rel === "test") continue;
        await walk(p);
      } else if (e.name === `${contract}.json`) found.push(p);
    }
  };
  await walk(dir);
  if (found.length > 1) throw new Error(`more than one artifact is named ${contract}: ${found.join(", ")}`);
  return found[0];
}

/** Reads a contract's artifact and its build info. */
export async function readCompiled(
  contract: string,
  dir: string = ARTIFACTS_DIR,
): Promise<{ artifact: Artifact; buildInfo?: BuildInfo } | undefined> {
  const path = await findArtifactPath(contract, dir);
  if (path === undefined) return undefined;
  const artifact = JSON.parse(await readFile(path, "utf8")) as Artifact;
  let buildInfo: BuildInfo | undefined;
  if (artifact.buildInfoId !== undefined) {
    try {
      buildInfo = JSON.parse(
        await readFile(join(dir, "build-info", `${artifact.buildInfoId}.json`), "utf8"),
      ) as BuildInfo;
    } catch {
      buildInfo = undefined;
    }
  }
  return { artifact, buildInfo };
}

/** Splits runtime code into its executable part and the CBOR metadata solc appends (length in the last 2 bytes). */
export function splitMetadata(code: string): { executable: string; cbor?: string } {
  const hex = code.toLowerCase().replace(/^0x/, "");
  if (hex.length < 4) return { executable: hex };
  const length = parseInt(hex.slice(-4), 16);
  const start = hex.length - 4 - length * 2;
  if (length === 0 || start < 0) return { executable: hex };
  const cbor = hex.slice(start, hex.length - 4);
  // A CBOR map of 1 to 3 entries (ipfs / bzzr, solc, experimental) starts with 0xa1..0xa3.
  if (!/^a[1-3]/.test(cbor)) return { executable: hex };
  return { executable: hex.slice(0, start), cbor };
}

/** Decodes the CBOR map solc writes: text keys, byte-string or boolean values. */
export function decodeMetadata(cbor: string): CodeMetadata {
  const b = Buffer.from(cbor, "hex");
  let i = 0;
  const head = () => {
    const byte = b[i++]!;
    const major = byte >> 5;
    let n = byte & 0x1f;
    if (n === 24) n = b[i++]!;
    else if (n === 25) {
      n = b.readUInt16BE(i);
      i += 2;
    } else if (n > 25 && major !== 7) throw new Error("unsupported CBOR length");
    return { major, n };
  };
  const out: Record<string, unknown> = {};
  const map = head();
  if (map.major !== 5) throw new Error("not a CBOR map");
  for (let k = 0; k < map.n; k++) {
    const key = head();
    if (key.major !== 3) throw new Error("CBOR key is not text");
    const name = b.subarray(i, i + key.n).toString("utf8");
    i += key.n;
    const value = head();
    if (value.major === 2 || value.major === 3) {
      out[name] = b.subarray(i, i + value.n);
      i += value.n;
    } else out[name] = value.n;
  }
  const ipfs = out.ipfs instanceof Buffer ? encodeBase58(out.ipfs) : undefined;
  const solc = out.solc instanceof Buffer && out.solc.length === 3 ? [...out.solc].join(".") : undefined;
  return { ...(ipfs !== undefined ? { ipfs } : {}), ...(solc !== undefined ? { solc } : {}) };
}

/** Copies the immutable values from the deployed code into the compiled code (their placeholders are zero). */
function withImmutables(compiled: string, deployed: string, refs: Artifact["immutableReferences"]): string {
  if (refs === undefined) return compiled;
  let out = compiled;
  for (const list of Object.values(refs)) {
    for (const { start, length } of list) {
      const s = start * 2;
      const e = s + length * 2;
      if (e > deployed.length) continue;
      out = out.slice(0, s) + deployed.slice(s, e) + out.slice(e);
    }
  }
  return out;
}

/** The first byte at which two hex strings differ. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 2) if (a.slice(i, i + 2) !== b.slice(i, i + 2)) return i / 2;
  return n / 2;
}

/** Compares code with an artifact: the match and its reason. */
export function compareCode(
  deployedCode: string,
  artifact: Artifact,
): { match: ContractVerification["match"]; reason: string; deployed?: CodeMetadata; compiled?: CodeMetadata } {
  const deployed = deployedCode.toLowerCase().replace(/^0x/, "");
  if (deployed === "") return { match: "none", reason: "there is no code at this address" };
  if (artifact.deployedLinkReferences !== undefined && Object.keys(artifact.deployedLinkReferences).length > 0) {
    return { match: "none", reason: "the contract links libraries, which this check does not resolve" };
  }
  const compiled = withImmutables(
    artifact.deployedBytecode.toLowerCase().replace(/^0x/, ""),
    deployed,
    artifact.immutableReferences,
  );
  const d = splitMetadata(deployed);
  const c = splitMetadata(compiled);
  const meta = {
    ...(d.cbor !== undefined ? { deployed: safeDecode(d.cbor) } : {}),
    ...(c.cbor !== undefined ? { compiled: safeDecode(c.cbor) } : {}),
  };
  if (d.executable !== c.executable) {
    const at = firstDifference(d.executable, c.executable);
    const sizes = `${d.executable.length / 2} bytes deployed, ${c.executable.length / 2} compiled`;
    return {
      match: "none",
      reason: `the deployed code is not the compiled ${artifact.contractName}: they differ from byte ${at} (${sizes})`,
      ...meta,
    };
  }
  if (d.cbor !== c.cbor) {
    return {
      match: "partial",
      reason: `the executable code matches, but the metadata hash does not (deployed ${meta.deployed?.ipfs ?? "none"}, compiled ${meta.compiled?.ipfs ?? "none"}): it was compiled from other source text or settings`,
      ...meta,
    };
  }
  return {
    match: "full",
    reason: `the runtime code and its metadata hash (${meta.compiled?.ipfs ?? "none"}) match the compiled ${artifact.contractName} byte for byte`,
    ...meta,
  };
}

function safeDecode(cbor: string): CodeMetadata {
  try {
    return decodeMetadata(cbor);
  } catch {
    return {};
  }
}

/** Recompiled metadata, once per compilation (it depends only on the artifacts). */
const metadataCache = new Map<string, Promise<MetadataCheck>>();

function metadataOf(contract: string, buildInfoId: string | undefined, dir: string): Promise<MetadataCheck> {
  const key = `${dir}|${contract}|${buildInfoId ?? ""}`;
  let m = metadataCache.get(key);
  if (m === undefined) {
    m = recompileMetadata(contract, dir);
    metadataCache.set(key, m);
    m.catch(() => metadataCache.delete(key));
  }
  return m;
}

/**
 * Verifies one target against the artifacts in `dir`. With `recompile` (the default) the metadata
 * file is recompiled with the npm solc too (src/verification/metadata.ts; seconds per contract, once).
 */
export async function verifyContract(
  provider: Provider,
  target: VerificationTarget,
  dir: string = ARTIFACTS_DIR,
  recompile = true,
): Promise<ContractVerification> {
  const address = getAddress(target.address);
  const base = { label: target.label, contract: target.contract, address };
  const compiled = await readCompiled(target.contract, dir);
  if (compiled === undefined) {
    return {
      ...base,
      sources: [],
      match: "none",
      verified: false,
      reason: `no compiled ${target.contract} in ${dir}: run npx hardhat build first`,
    };
  }
  const { artifact, buildInfo } = compiled;
  const code = await provider.getCode(address);
  let r = compareCode(code, artifact);
  const stale = await staleSources(buildInfo, dir);
  if (stale.length > 0 && r.match !== "none") {
    r = {
      ...r,
      match: "none",
      reason: `the artifacts are older than the repository's ${stale.join(", ")}: run npx hardhat build and check again`,
    };
  }
  let metadataFile: ContractVerification["metadataFile"];
  if (recompile && r.match !== "none") {
    try {
      const m = await metadataOf(target.contract, artifact.buildInfoId, dir);
      metadataFile = {
        ipfs: m.ipfs,
        compiler: m.compiler,
        matchesDeployed: m.ipfs === r.deployed?.ipfs,
        mismatchedSources: m.mismatchedSources,
      };
      if (r.match === "full") {
        r = !metadataFile.matchesDeployed
          ? {
              ...r,
              match: "partial",
              reason: `the code matches, but the metadata file recompiled with the npm solc hashes to ${m.ipfs}, not the deployed ${r.deployed?.ipfs ?? "none"}`,
            }
          : m.mismatchedSources.length > 0
            ? { ...r, match: "partial", reason: `the metadata lists other text for ${m.mismatchedSources.join(", ")}` }
            : { ...r, reason: `${r.reason}, and the metadata file recompiled with the npm solc has that hash` };
      }
    } catch (e) {
      r = { ...r, match: "none", reason: `the metadata file could not be recompiled: ${(e as Error).message}` };
    }
  }
  const settings = buildInfo?.input.settings;
  return {
    ...base,
    sourceName: artifact.sourceName,
    ...(buildInfo !== undefined ? { compiler: buildInfo.solcLongVersion } : {}),
    ...(settings !== undefined
      ? {
          settings: {
            ...(settings.evmVersion !== undefined ? { evmVersion: settings.evmVersion } : {}),
            ...(settings.optimizer !== undefined ? { optimizer: settings.optimizer } : {}),
            ...(settings.remappings !== undefined ? { remappings: settings.remappings } : {}),
          },
        }
      : {}),
    sources: Object.entries(buildInfo?.input.sources ?? {}).map(([name, s]) => ({
      name,
      keccak256: keccak256(toUtf8Bytes(s.content)),
    })),
    ...(r.deployed !== undefined ? { deployedMetadata: r.deployed } : {}),
    ...(r.compiled !== undefined ? { compiledMetadata: r.compiled } : {}),
    ...(metadataFile !== undefined ? { metadataFile } : {}),
    match: r.match,
    verified: r.match === "full",
    reason: r.reason,
  };
}

/**
 * The project's source files whose text in the repository differs from what was compiled (the build
 * info): the artifacts are stale then, and a match would say nothing about the repository.
 */
async function staleSources(buildInfo: BuildInfo | undefined, dir: string): Promise<string[]> {
  if (buildInfo === undefined) return [];
  const root = join(dir, "..");
  const stale: string[] = [];
  for (const [name, source] of Object.entries(buildInfo.input.sources)) {
    if (!name.startsWith("project/")) continue;
    const path = name.slice("project/".length);
    const text = await readFile(join(root, path), "utf8").catch(() => undefined);
    if (text !== source.content) stale.push(path);
  }
  return stale;
}

/** The implementation behind an ERC-1967 proxy, or undefined when `address` is not one. */
export async function implementationOf(provider: Provider, address: string): Promise<string | undefined> {
  const word = await provider.getStorage(address, EIP1967_IMPLEMENTATION_SLOT);
  const implementation = getAddress(dataSlice(word, 12));
  return implementation === ZeroAddress ? undefined : implementation;
}

/** A deployment label whose contract has another name: the council is OpenZeppelin's TimelockController. */
const CONTRACT_OF_LABEL: Readonly<Record<string, string>> = { Council: "TimelockController" };

export interface VerifyOptions {
  readonly artifactsDir?: string;
  /** Recompile each contract's metadata file with the npm solc (default true). */
  readonly recompile?: boolean;
  /** Implementations behind proxies, by label (read from the EIP-1967 slot when not given). */
  readonly implementations?: Readonly<Record<string, string>>;
  /** The proxy's artifact (default TransparentUpgradeableProxy, as deploy/modules/proxy.ts deploys every ledger). */
  readonly proxyContract?: string;
}

/**
 * Verifies every contract of a deployment: `contracts` maps a label (the contract name, e.g.
 * ReliefLedger) to its address. A contract behind an ERC-1967 proxy (an implementation given in
 * `implementations`, or found in the proxy's EIP-1967 slot) is verified as two entries: the proxy
 * (`<label> (proxy)`, against the proxy's artifact) and its implementation (against `<label>`'s).
 */
export async function verifyDeployment(
  provider: Provider,
  contracts: Readonly<Record<string, string | undefined>>,
  o: VerifyOptions = {},
): Promise<ContractVerification[]> {
  const out: ContractVerification[] = [];
  for (const [label, address] of Object.entries(contracts)) {
    if (address === undefined) continue;
    const implementation = o.implementations?.[label] ?? (await implementationOf(provider, address));
    if (implementation === undefined) {
      const contract = CONTRACT_OF_LABEL[label] ?? label;
      out.push(await verifyContract(provider, { label, contract, address }, o.artifactsDir, o.recompile));
    } else {
      const proxy = o.proxyContract ?? "TransparentUpgradeableProxy";
      out.push(
        await verifyContract(
          provider,
          { label: `${label} (proxy)`, contract: proxy, address },
          o.artifactsDir,
          o.recompile,
        ),
      );
      out.push(
        await verifyContract(
          provider,
          { label: `${label} (implementation)`, contract: label, address: implementation },
          o.artifactsDir,
          o.recompile,
        ),
      );
    }
  }
  return out;
}

/** The source text of a compilation's file, for the explorer (from the build info, as compiled). */
export async function sourceText(
  contract: string,
  name: string,
  dir: string = ARTIFACTS_DIR,
): Promise<string | undefined> {
  const compiled = await readCompiled(contract, dir);
  return compiled?.buildInfo?.input.sources[name]?.content;
}
