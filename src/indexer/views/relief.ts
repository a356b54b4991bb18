/** The relief ledger's views: programmes and their trees. */
import { requireRelief } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { CATEGORIES as RELIEF_CATEGORIES } from "../../relief/vocabulary.js";
import { programmeTree } from "../../relief/tree.js";
import { logRangeOf, queryInChunks } from "../../chain.js";
import { ATTESTATIONS, attestationDefinitionHash } from "../../relief/attestations.js";
import { ROLES, roleLabel } from "../../roles.js";
import type { ProgrammePage, ProgrammeSummary, RequiredAttestation } from "../api-types.js";
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
          released: (await this.released(id, p.finance)).toString(),
          disbursed: p.disbursed.toString(),
          returned: p.returned.toString(),
          timestamp: num(r.timestamp),
        };
      }),
    );
  }

  async programme(programmeId: string): Promise<ProgrammePage> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(programmeId)) throw new BadRequestError(`not a programme id: ${programmeId}`);
    let tree;
    try {
      tree = await programmeTree(this.d, programmeId.toLowerCase());
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
    const p = tree.programme;
    const id = programmeId.toLowerCase();
    const names = await this.publicNames();
    const self = names.records.find((r) => r.kind === "programme" && r.id === id);
    const projectNames: Record<string, { code: string; name?: string }> = {};
    for (const r of names.records)
      if (r.kind === "relief-project" && r.programmeId === id)
        projectNames[r.id] = { code: r.code, ...(r.name !== undefined ? { name: r.name } : {}) };
    return {
      ...toJson(tree),
      released: (await this.released(p.programmeId, p.finance)).toString(),
      attestations: await this.requiredAttestations(Number(p.requiredAttestations)),
      code: self?.code ?? "",
      ...(self?.name !== undefined ? { name: self.name } : {}),
      periodNames: names.periods.filter((n) => n.programmeId === id),
      projectNames,
    };
  }

  /** What a programme's finance allocated down its tree, from the events: its `Allocated` and `ProjectFunded`. */
  protected async released(programmeId: string, finance: string): Promise<bigint> {
    const relief = requireRelief(this.d);
    const provider = relief.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const [allocated, funded] = await Promise.all([
      q((a, b) => relief.queryFilter(relief.filters.Allocated(programmeId, finance), a, b)),
      q((a, b) => relief.queryFilter(relief.filters.ProjectFunded(programmeId, undefined, finance), a, b)),
    ]);
    return [...allocated, ...funded].reduce((s, e) => s + e.args.amount, 0n);
  }

  /**
   * The attestation kinds of a `requiredAttestations` bit mask, each with its name (when its definition
   * on chain matches one we publish) and the role the chain says attests it (the latest `AttestationDefined`).
   */
  protected async requiredAttestations(mask: number): Promise<RequiredAttestation[]> {
    const relief = requireRelief(this.d);
    const provider = relief.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const defined = await queryInChunks(
      (a, b) => relief.queryFilter(relief.filters.AttestationDefined(), a, b),
      0,
      latest,
      { chunk: logRangeOf(provider) },
    );
    const byKind = new Map(defined.map((e) => [Number(e.args.kind), e.args]));
    const out: RequiredAttestation[] = [];
    for (let kind = 0; kind < 16; kind++) {
      if ((mask & (1 << kind)) === 0) continue;
      const def = byKind.get(kind);
      const known = ATTESTATIONS.find(
        (a) => a.kind === kind && def !== undefined && attestationDefinitionHash(a) === def.definitionHash,
      );
      out.push({
        kind,
        ...(known !== undefined ? { label: known.label, zh: known.zh, en: known.en } : {}),
        ...(def !== undefined
          ? {
              attesterRole: roleLabel(def.attesterRole),
              ...(ROLES.find((r) => r.id === def.attesterRole) !== undefined
                ? { attesterZh: ROLES.find((r) => r.id === def.attesterRole)!.zh }
                : {}),
            }
          : {}),
      });
    }
    return out;
  }
}
