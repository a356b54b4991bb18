import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { printTable } from "../../src/format.js";
import { ATTESTATIONS } from "../../src/relief/attestations.js";
import { roleLabel } from "../../src/roles.js";
import { openReader, runTask } from "../common.js";

/** The attestation kinds, for `relief beneficiary kinds`. */
export default async function (_a: unknown, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const relief = requireRelief(d);
    const rows = await Promise.all(
      ATTESTATIONS.map(async (x) => [
        x.label.toLowerCase().replaceAll("_", "-"),
        x.zh,
        x.en,
        roleLabel(BigInt(await relief.attesterRole(x.kind))),
      ]),
    );
    printTable(["kind", "中文", "meaning", "attested by"], rows);
  });
}
