/**
 * What the explorer shows of verified source: every deployed contract checked against this repository's
 * compiled artifacts (src/verification/source.ts), cached for a minute (one `eth_getCode` per contract
 * per check), and the source text of each file as it was compiled.
 */
import type { Provider } from "ethers";

import { ARTIFACTS_DIR, sourceText, verifyDeployment } from "./source.js";
import type { VerificationReport } from "./types.js";

export type { VerificationReport };

export interface VerificationReporter {
  report(): Promise<VerificationReport>;
  /** The text of `file` in the compilation of `contract`; undefined when there is no such file. */
  source(contract: string, file: string): Promise<string | undefined>;
}

export function verificationReporter(
  provider: Provider,
  addresses: Readonly<Record<string, string | undefined>>,
  o: { ttlMs?: number; artifactsDir?: string; implementations?: Readonly<Record<string, string>> } = {},
): VerificationReporter {
  const ttl = o.ttlMs ?? 60_000;
  const dir = o.artifactsDir ?? ARTIFACTS_DIR;
  let cached: Promise<VerificationReport> | undefined;
  let at = 0;
  return {
    report() {
      if (cached === undefined || Date.now() - at > ttl) {
        at = Date.now();
        cached = verifyDeployment(provider, addresses, {
          artifactsDir: dir,
          ...(o.implementations !== undefined ? { implementations: o.implementations } : {}),
        }).then((contracts) => ({ checkedAt: Date.now(), contracts }));
        cached.catch(() => {
          cached = undefined;
        });
      }
      return cached;
    },
    source: (contract, file) => sourceText(contract, file, dir),
  };
}
