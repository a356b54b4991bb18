/**
 * The shapes of verified source (src/verification/source.ts), shared with the explorer: no imports,
 * so that the browser build can use them as types.
 */

/** The CBOR metadata solc appends to the runtime code. */
export interface CodeMetadata {
  /** The IPFS CID (v0, Qm…) of the compiler's metadata file. */
  readonly ipfs?: string;
  /** The compiler version that wrote it, e.g. 0.8.28. */
  readonly solc?: string;
}

export interface SourceFile {
  /** The path as the compiler saw it (project/contracts/…, npm/@openzeppelin/contracts@5.7.0/…). */
  readonly name: string;
  /** keccak256 of the content, as the compiler's metadata records it. */
  readonly keccak256: string;
}

export interface ContractVerification {
  readonly label: string;
  readonly contract: string;
  readonly address: string;
  /** The source file that defines the contract (e.g. contracts/relief/ReliefLedger.sol). */
  readonly sourceName?: string;
  /** The compiler's full version (e.g. 0.8.28+commit.7893614a). */
  readonly compiler?: string;
  /** The settings the code was compiled with (EVM version, optimizer, remappings). */
  readonly settings?: {
    readonly evmVersion?: string;
    readonly optimizer?: { readonly enabled?: boolean; readonly runs?: number };
    readonly remappings?: readonly string[];
  };
  /** Every source file of the compilation. */
  readonly sources: readonly SourceFile[];
  /** The metadata in the deployed code. */
  readonly deployedMetadata?: CodeMetadata;
  /** The metadata in the locally compiled code. */
  readonly compiledMetadata?: CodeMetadata;
  /**
   * The compiler's metadata file, recompiled here with the npm solc from the compilation input: its IPFS
   * hash (which must be the one in the deployed code) and whether every source it lists is the compiled file.
   */
  readonly metadataFile?: {
    readonly ipfs: string;
    readonly compiler: string;
    readonly matchesDeployed: boolean;
    readonly mismatchedSources: readonly string[];
  };
  /** full: code and metadata equal; partial: executable code equal, metadata not; none: different, or no code. */
  readonly match: "full" | "partial" | "none";
  readonly verified: boolean;
  /** One sentence: why it is (not) verified. */
  readonly reason: string;
}

/** What the explorer's `/api/contracts/verification` answers. */
export interface VerificationReport {
  /** When the check ran (ms since 1970). */
  readonly checkedAt: number;
  readonly contracts: readonly ContractVerification[];
}
