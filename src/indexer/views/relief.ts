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
        return {
          programmeId: id,
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
      return toJson(await programmeTree(this.d, programmeId.toLowerCase()));
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
  }
}
