/**
 * The second half of verified source, on demand (`verify-source --metadata`): recompile a contract's
 * compilation input with the npm `solc` (solcjs, the project's one compiler; nothing is downloaded),
 * asking for the metadata file Hardhat's build does not keep, and check that its IPFS hash is the one in
 * the deployed code's CBOR and that every source file it lists (by keccak256) is the repository's file.
 * A match proves the deployed code commits to exactly these files, compiler and settings.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

import { encodeBase58, keccak256, toUtf8Bytes } from "ethers";

import { ARTIFACTS_DIR, readCompiled } from "./source.js";

const require = createRequire(import.meta.url);

/** The most bytes one IPFS block holds unchunked (go-ipfs's default chunk size); solc's metadata is far smaller. */
const IPFS_CHUNK = 262_144;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * The IPFS CIDv0 (Qm…) of a file of at most one chunk, as solc computes it for the metadata hash: the
 * SHA-256 multihash of a dag-pb node whose Data is a UnixFS File holding the bytes.
 */
export function ipfsHashOf(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  if (bytes.length > IPFS_CHUNK) throw new Error(`${bytes.length} bytes: more than one IPFS chunk`);
  const unixfs = Buffer.concat([
    Buffer.from([0x08, 0x02]),
    Buffer.from([0x12]),
    varint(bytes.length),
    bytes,
    Buffer.from([0x18]),
    varint(bytes.length),
  ]);
  const node = Buffer.concat([Buffer.from([0x0a]), varint(unixfs.length), unixfs]);
  const digest = createHash("sha256").update(node).digest();
  return encodeBase58(Buffer.concat([Buffer.from([0x12, 0x20]), digest]));
}

export interface MetadataCheck {
  /** The IPFS hash of the recompiled metadata file. */
  readonly ipfs: string;
  /** The compiler the metadata names. */
  readonly compiler: string;
  /** Source files the metadata lists whose keccak256 is not the compiled file's. */
  readonly mismatchedSources: readonly string[];
  /** The metadata file itself (JSON text), for whoever wants to publish it. */
  readonly metadata: string;
}

interface SolcJs {
  compile(input: string): string;
}

/** Recompiles `contract`'s compilation with the npm solc and reads its metadata file. */
export async function recompileMetadata(contract: string, dir: string = ARTIFACTS_DIR): Promise<MetadataCheck> {
  const compiled = await readCompiled(contract, dir);
  if (compiled?.buildInfo === undefined) throw new Error(`no compiled ${contract} with its build info in ${dir}`);
  const { artifact, buildInfo } = compiled;
  const sourceName = artifact.inputSourceName ?? artifact.sourceName;
  const input = {
    ...buildInfo.input,
    settings: { ...buildInfo.input.settings, outputSelection: { [sourceName]: { [contract]: ["metadata"] } } },
  };
  const solc = require("solc") as SolcJs;
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { metadata?: string }>>;
  };
  const error = output.errors?.find((e) => e.severity === "error");
  if (error !== undefined) throw new Error(`solc refused ${contract}: ${error.formattedMessage}`);
  const metadata = output.contracts?.[sourceName]?.[contract]?.metadata;
  if (metadata === undefined) throw new Error(`solc wrote no metadata for ${contract}`);
  const parsed = JSON.parse(metadata) as {
    compiler: { version: string };
    sources: Record<string, { keccak256: string }>;
  };
  const mismatchedSources = Object.entries(parsed.sources)
    .filter(([name, s]) => {
      const content = buildInfo.input.sources[name]?.content;
      return content === undefined || keccak256(toUtf8Bytes(content)) !== s.keccak256;
    })
    .map(([name]) => name);
  return { ipfs: ipfsHashOf(metadata), compiler: parsed.compiler.version, mismatchedSources, metadata };
}
