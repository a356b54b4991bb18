import type { Organisation, OrgWrite } from "../../src/registry.js";

/** JSON-friendly form of an organisation. */
export function orgJson(o: Organisation) {
  return {
    account: o.account,
    kind: o.kind.label,
    kindZh: o.kind.zh,
    status: o.status,
    name: o.name,
    creditCode: o.creditCode,
    metadataHash: o.metadataHash,
    registeredAt: o.registeredAt.toISOString(),
  };
}

/** One line saying what a write did. */
export function describeWrite(verb: string, w: OrgWrite): string {
  const o = w.organisation;
  return `${verb} ${o.name} (${o.kind.label} ${o.kind.zh}, ${o.account}, ${o.creditCode}) in block ${w.blockNumber}, tx ${w.txHash}`;
}
