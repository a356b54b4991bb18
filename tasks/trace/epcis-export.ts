import { readFile, writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { exportEpcis, factsOf, pglnParty } from "../../src/trace/epcis/export.js";
import { partyDirectoryOf } from "../../src/trace/epcis/parties.js";
import { epcisNamespace } from "../../src/trace/epcis/types.js";
import { batchHistory } from "../../src/trace/history.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { openReader, runTask } from "../common.js";

export default async function (
  a: { batch: string; out: string; digitalLink: boolean; parties: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const namespace = epcisNamespace();
    if (namespace === undefined) {
      throw new LedgerError(
        "the EPCIS export needs the deployment's namespace: set ZHIXIN_PUBLIC_URL to the public explorer's address (the namespace is <it>/ns/) or ZHIXIN_EPCIS_NAMESPACE",
      );
    }
    let directory: ReadonlyMap<string, string> = new Map();
    if (a.parties !== "") {
      try {
        directory = partyDirectoryOf(JSON.parse(await readFile(a.parties, "utf8")));
      } catch (e) {
        throw new InvalidInputError("--parties", a.parties, (e as Error).message);
      }
    }
    const d = await openReader(hre);
    const trace = requireTrace(d);
    const provider = trace.runner!.provider!;
    const h = await batchHistory(trace, provider, id);
    // Certificates and recalls are dated by their block.
    const blockTimes = new Map<number, number>();
    for (const st of h.steps) {
      if (st.eventTime !== 0n || blockTimes.has(st.blockNumber)) continue;
      const block = await provider.getBlock(st.blockNumber);
      if (block !== null) blockTimes.set(st.blockNumber, block.timestamp);
    }
    const identifiers = a.digitalLink ? "digital-link" : "urn";
    const doc = exportEpcis(factsOf(h, blockTimes), {
      identifiers,
      namespace,
      partyOf: pglnParty(directory, { identifiers }),
    });
    const text = JSON.stringify(doc, null, 2) + "\n";
    if (a.out === "") {
      process.stdout.write(text);
      return;
    }
    await writeFile(a.out, text);
    console.log(
      `wrote ${(doc.epcisBody as { eventList: unknown[] }).eventList.length} EPCIS events of ${a.batch.trim()} to ${a.out}`,
    );
  });
}
