/** The relief ledger's views: programmes and their trees. */
import { requireRelief } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { CATEGORIES as RELIEF_CATEGORIES } from "../../relief/vocabulary.js";
import { programmeTree } from "../../relief/tree.js";
import type { ProgrammePage, ProgrammeSummary } from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, toJson } from "./base.js";
import { TraceViews } from "./trace.js";

export class ReliefViews extends TraceViews {
  async programmes(): Promise<ProgrammeSummary[]> {
    const relief = requireRelief(this.d);
    const rows = await this.eventQuery()
      .where("e.contract", "=", "ReliefLedger")
      .where("e.event_name", "=", "ProgrammeCreated")
      .orderBy("e.block_number", "desc")
      .execute();
    return Promise.all(
      rows.map(async (r) => {
        const id = r.topic1!;
        const p = await relief.programme(id);
        const named = await this.namedRecord(id);
        return {
          programmeId: id,
          code: named?.code ?? (JSON.parse(r.args) as { code: string }).code,
          ...(named?.name !== undefined ? { name: named.name } : {}),
          finance: p.finance,
          category: RELIEF_CATEGORIES[Number(p.category)] ?? "other",
          fiscalYear: Number(p.fiscalYear),
          appropriated: p.appropriated.toString(),
          allocated: p.allocated.toString(),
          disbursed: p.disbursed.toString(),
          returned: p.returned.toString(),
          timestamp: num(r.timestamp),
        };
      }),
    );
  }

  async programme(programmeId: string): Promise<ProgrammePage> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(programmeId)) throw new BadRequestError(`not a programme id: ${programmeId}`);
    try {
      const id = programmeId.toLowerCase();
      const tree = toJson(await programmeTree(this.d, id));
      const names = await this.publicNames();
      const self = names.records.find((r) => r.kind === "programme" && r.id === id);
      const projectNames: Record<string, { code: string; name?: string }> = {};
      for (const r of names.records)
        if (r.kind === "relief-project" && r.programmeId === id)
          projectNames[r.id] = { code: r.code, ...(r.name !== undefined ? { name: r.name } : {}) };
      return {
        ...tree,
        code: self?.code ?? "",
        ...(self?.name !== undefined ? { name: self.name } : {}),
        periodNames: names.periods.filter((p) => p.programmeId === id),
        projectNames,
      };
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
  }
}
