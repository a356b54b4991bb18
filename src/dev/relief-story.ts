/**
 * The 台山 industry-support story `npm run demo` tells: the city finance bureau creates the 2026
 * industry-support programme, rural affairs passes it down to two townships and on to two villages;
 * each village registers 25 households lifted out of poverty (keys only: the ID numbers and names
 * stay in the village's file), rural affairs attests them, the villages propose a 2,000-yuan payment
 * each and rural affairs approves (one proposal is rejected and made again, one double payment and
 * one payment to a household whose attestation was revoked are refused); the 斗山 township funds a
 * greenhouse project built by a vegetable cooperative, paid in two milestones and accepted, its
 * unspent remainder returning to the township; 莘村 returns its unspent money; the audit bureau
 * records a finding, the village answers, the auditor closes it. Every step goes through the same
 * library the CLI uses.
 */
import { id } from "ethers";

import type { Signer } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { requireRelief, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { explain } from "../refusals.js";
import { formatYuan } from "../money.js";
import { ROLE } from "../roles.js";
import { attestationOf } from "../relief/attestations.js";
import { type KeySource, localKeySource } from "../relief/key-service-client.js";
import { DEV_RELIEF_SECRET, idCheckChar, parseReliefSecret } from "../relief/key.js";
import * as ledger from "../relief/ledger.js";
import * as names from "../names/ledger.js";
import type { PaymentNotice } from "../relief/notices.js";
import { newReliefReceiptCode, reliefReceiptHash } from "../relief/receipt-code.js";
import { CATEGORIES, TARGET_KINDS } from "../relief/vocabulary.js";
import { programmeTree, type ProgrammeTree } from "../relief/tree.js";

/** Sample accounts (deploy/organisations/jiangmen.json, deploy/parameters/dev.json). */
export const RELIEF_ACCOUNTS = {
  finance: "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  ruralAffairs: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  civilAffairs: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  audit: "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097",
  doushan: "0xcd3B766CCDd6AE721141F452C550Ca635964ce71",
  duhu: "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
  fushi: "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
  shencun: "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
  cooperative: "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
} as const;

export const PROGRAMME_CODE = "TS-IND-2026";
export const PROJECT_CODE = "TS-DS-GREENHOUSE-2026";
/** The public names finance and the township give the programme, its one period and the project (PublicNames). */
export const PROGRAMME_NAME = "台山市2026年产业帮扶资金";
export const PERIOD = { period: 1, code: "2026", name: "2026年度" } as const;
export const PROJECT_NAME = "斗山镇浮石村蔬菜大棚项目";
const yuan = (n: number) => BigInt(n) * 100n;

/** A demo household: fictional ID number and name, which must never reach the chain. */
export interface DemoHousehold {
  readonly idNumber: string;
  readonly name: string;
  readonly household: string;
  readonly village: "fushi" | "shencun";
}

const SURNAMES = ["黄", "李", "陈", "伍", "刘", "谭", "甄", "梅", "雷", "关"];
const GIVEN = ["国强", "秀英", "志明", "桂芳", "建华", "丽娟", "家豪", "美玲", "锦荣", "少珍", "永康", "惠萍", "卓文"];

/** 50 fictional households of 台山 (region 440781), 25 per village, with valid check characters. */
export function demoHouseholds(): DemoHousehold[] {
  return [...Array(50).keys()].map((i) => {
    const birth = `19${String(50 + ((i * 7) % 45)).padStart(2, "0")}${String(1 + (i % 12)).padStart(2, "0")}${String(1 + ((i * 3) % 28)).padStart(2, "0")}`;
    const first17 = `440781${birth}${String(100 + i * 17).slice(-3)}`;
    const village = i < 25 ? "fushi" : "shencun";
    return {
      idNumber: first17 + idCheckChar(first17),
      name: SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 5) % GIVEN.length]!,
      household: `建档立卡 ${village === "fushi" ? "DSFS" : "DHSC"}-${String(i + 1).padStart(4, "0")}`,
      village,
    };
  });
}

export interface ReliefStory {
  readonly programmeId: string;
  readonly projectId: string;
  readonly households: readonly DemoHousehold[];
  readonly findingId: bigint;
  readonly tree: ProgrammeTree;
  readonly lines: readonly string[];
  /** The payment notices the villages keep: each household's receipt code (only its hash is on chain). */
  readonly notices: readonly PaymentNotice[];
}

/** Runs `step`, which must be refused; says why it was. */
async function refused(say: (line: string) => void, what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (e) {
    say(`${what} is refused: ${explain(e).message}`);
    return;
  }
  throw new LedgerError(`${what} went through: the ledger should have refused it`);
}

export async function runTaishanStory(
  d: Deployment,
  signerFor: (account: string) => Promise<Signer>,
  o: LegacyOverrides,
  log: (line: string) => void = console.log,
  /**
   * Who computes an organisation's keys and keyed hashes: `npm run demo` passes the key service it
   * starts in-process; the default, the development secret computed here, is for tests only.
   */
  keySourceOf: (signer: Signer) => KeySource = () => localKeySource(parseReliefSecret(DEV_RELIEF_SECRET)),
): Promise<ReliefStory> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  requireRelief(d);
  const A = RELIEF_ACCOUNTS;
  const [finance, rural, civil, audit, doushan, duhu, fushi, shencun, coop] = await Promise.all(
    [A.finance, A.ruralAffairs, A.civilAffairs, A.audit, A.doushan, A.duhu, A.fushi, A.shencun, A.cooperative].map(
      signerFor,
    ),
  );
  const villages = { fushi: fushi!, shencun: shencun! };

  const lifted = attestationOf("LIFTED_FROM_POVERTY");
  const { value: programmeId } = await ledger.createProgramme(
    d,
    finance!,
    PROGRAMME_CODE,
    {
      category: CATEGORIES.indexOf("industry"),
      fiscalYear: 2026,
      periods: 1,
      approverRole: Number(ROLE.RURAL_AFFAIRS),
      requiredAttestations: 1 << lifted.kind,
      budget: yuan(800_000),
      perBeneficiaryCap: yuan(3_000),
    },
    id("江财农〔2026〕18号 关于下达2026年台山市产业帮扶资金的通知"),
    o,
  );
  await names.nameProgramme(d, finance!, programmeId, PROGRAMME_NAME, o);
  await names.namePeriod(d, finance!, programmeId, PERIOD.period, PERIOD.code, PERIOD.name, o);
  say(
    `财政局 created ${PROGRAMME_CODE} ${PROGRAMME_NAME} (industry support, 2026): budget ¥800,000.00, ¥3,000.00 at most per household`,
  );
  await ledger.appropriate(d, finance!, programmeId, yuan(100_000), id("江财农〔2026〕25号 追加资金"), o);
  say("财政局 raised it by a further appropriation of ¥100,000.00");

  const alloc = async (from: Signer, to: string, amount: number, doc: string) =>
    ledger.allocate(d, from, programmeId, to, yuan(amount), id(doc), o);
  await alloc(finance!, A.ruralAffairs, 700_000, "资金拨付单 JC-2026-0001");
  // Below the finance bureau, a holder first accepts its parent (two signatures per hand-over of responsibility).
  const accept = async (holder: Signer, holderAddress: string, parent: string, doc: string) =>
    ledger.setParent(d, holder, { programmeId, holder: holderAddress, parent, documentHash: id(doc) }, o);
  await accept(doushan!, A.doushan, A.ruralAffairs, "斗山镇 接收资金确认 2026");
  await alloc(rural!, A.doushan, 420_000, "资金拨付单 XZ-2026-0101");
  await refused(say, "斗山镇 allocating ¥1.00 to 都斛镇 before 乡村振兴局 does (squatting the place above it)", () =>
    alloc(doushan!, A.duhu, 1, "资金拨付单 DS-2026-0000"),
  );
  await accept(duhu!, A.duhu, A.ruralAffairs, "都斛镇 接收资金确认 2026");
  await accept(fushi!, A.fushi, A.doushan, "浮石村 接收资金确认 2026");
  await accept(shencun!, A.shencun, A.duhu, "莘村 接收资金确认 2026");
  say("each township and village accepted the holder above it: only that holder allocates to it");
  await alloc(rural!, A.duhu, 150_000, "资金拨付单 XZ-2026-0102");
  await alloc(doushan!, A.fushi, 80_000, "资金拨付单 DS-2026-0011");
  await alloc(duhu!, A.shencun, 80_000, "资金拨付单 DH-2026-0007");
  say(
    "money passed down: 财政局 → 乡村振兴局 ¥700,000 → 斗山镇 ¥420,000 → 浮石村 ¥80,000; 乡村振兴局 → 都斛镇 ¥150,000 → 莘村 ¥80,000",
  );
  await refused(say, "都斛镇 allocating to 浮石村, whose money comes from 斗山镇,", () =>
    alloc(duhu!, A.fushi, 1_000, "资金拨付单 DH-2026-0008"),
  );

  const households = demoHouseholds();
  /** Keys, or keyed hashes of texts, from `signer`'s key source (one request each). */
  const keyed = async (signer: Signer, idNumbers: readonly string[], texts: readonly string[]) => {
    const r = await keySourceOf(signer).compute(idNumbers, texts);
    const unwrap = (k: (typeof r.keys)[number]) => {
      if ("problem" in k) throw new LedgerError(`the demo's key source refused ${k.value}: ${k.problem}`);
      return k.key;
    };
    return { keys: r.keys.map(unwrap), hashes: r.householdHashes.map(unwrap) };
  };
  const hashesBy = async (signer: Signer, texts: readonly string[]) => (await keyed(signer, [], texts)).hashes;
  const keys: string[] = new Array<string>(households.length);
  const householdHashes: string[] = new Array<string>(households.length);
  for (const v of ["fushi", "shencun"] as const) {
    const mine = [...households.entries()].filter(([, h]) => h.village === v);
    const r = await keyed(
      villages[v],
      mine.map(([, h]) => h.idNumber),
      mine.map(([, h]) => h.household),
    );
    mine.forEach(([i], j) => {
      keys[i] = r.keys[j]!;
      householdHashes[i] = r.hashes[j]!;
    });
  }
  for (const [i, h] of households.entries()) {
    await ledger.registerBeneficiary(d, villages[h.village], keys[i]!, householdHashes[i]!, o);
  }
  say("浮石村 and 莘村 registered 25 households each: only keyed hashes of the ID numbers go on chain");
  const liftedEvidence = await hashesBy(
    rural!,
    households.map((h) => `脱贫户认定 ${h.household}`),
  );
  for (const i of households.keys()) {
    await ledger.attest(d, rural!, keys[i]!, lifted.kind, liftedEvidence[i]!, o);
  }
  const allowance = attestationOf("MINIMUM_LIVING_ALLOWANCE");
  const allowed = [3, 11, 30, 41];
  const allowanceEvidence = await hashesBy(
    civil!,
    allowed.map((i) => `低保认定 ${households[i]!.household}`),
  );
  for (const [j, i] of allowed.entries()) {
    await ledger.attest(d, civil!, keys[i]!, allowance.kind, allowanceEvidence[j]!, o);
  }
  say("乡村振兴局 attested all 50 as 脱贫户; 民政局 attested 4 of them as 低保对象");

  // The last household of 莘村 lost its status before payment.
  const last = households.length - 1;
  const [revocation] = await hashesBy(rural!, ["动态调整 DHSC-0050"]);
  await ledger.revokeAttestation(d, rural!, keys[last]!, lifted.kind, revocation!, o);

  // A payment reference names the bank's batch and line, never a household number, and goes on chain only as
  // a salted commitment (the salt stays with the village's payment list).
  const commit = (reference: string) => ledger.paymentCommitment(ledger.newPaymentSalt(), reference);
  const amount = yuan(2_000);
  const paid: string[] = [];
  const terms = new Map<string, { amount: bigint; paymentRefHash: string }>();
  for (const [i, h] of households.entries()) {
    if (i === last) continue;
    const t = {
      amount: i === 30 ? yuan(2_500) : amount,
      paymentRefHash: commit(`一卡通 代发批次 TS-2026-01 第${i + 1}笔`),
    };
    const w = await ledger.proposeDisbursement(
      d,
      villages[h.village],
      { programmeId, period: 1, key: keys[i]!, ...t },
      o,
    );
    paid.push(w.value);
    terms.set(w.value, t);
  }
  say(`the villages proposed ${paid.length} payments of ¥2,000.00 (一卡通 references as salted commitments)`);
  await refused(say, "a payment to the household whose 脱贫户 attestation was revoked", () =>
    ledger.proposeDisbursement(
      d,
      shencun!,
      { programmeId, period: 1, key: keys[last]!, amount, paymentRefHash: commit("一卡通 代发批次 TS-2026-01 第50笔") },
      o,
    ),
  );
  // 莘村 proposed ¥2,500 for one household by mistake: rural affairs rejects, the village proposes again.
  const wrong = paid[30]!;
  const reviewed = terms.get(wrong)!;
  await ledger.rejectDisbursement(d, rural!, wrong, id("金额与发放清册不符"), o);
  const corrected = { amount, paymentRefHash: commit("一卡通 代发批次 TS-2026-01 第31笔 更正") };
  await ledger.proposeDisbursement(d, shencun!, { programmeId, period: 1, key: keys[30]!, ...corrected }, o);
  terms.set(wrong, corrected);
  say("乡村振兴局 rejected one proposal (¥2,500.00 against ¥2,000.00 in the list); 莘村 proposed it again");
  await refused(say, "an approval naming the withdrawn proposal's terms", () =>
    ledger.approveDisbursement(d, rural!, wrong, reviewed, o),
  );
  await refused(say, "浮石村 approving its own proposal", () =>
    ledger.approveDisbursement(d, fushi!, paid[0]!, terms.get(paid[0]!)!, o),
  );
  for (const x of paid) await ledger.approveDisbursement(d, rural!, x, terms.get(x)!, o);
  say(`乡村振兴局 approved all ${paid.length}: only now do they count as disbursed`);
  // Each household's receipt code: its hash bound on chain by the proposing village, the code printed on
  // the payment notice the village hands over (a villager checks the payment with it, never with an ID number).
  const notices: PaymentNotice[] = [];
  const villageNames = { fushi: "台山市斗山镇浮石村民委员会", shencun: "台山市都斛镇莘村村民委员会" } as const;
  for (const [k, x] of paid.entries()) {
    const h = households[k]!;
    const receiptCode = newReliefReceiptCode();
    const w = await ledger.bindReceipt(d, villages[h.village], x, reliefReceiptHash(receiptCode), o);
    notices.push({
      receiptCode,
      programme: PROGRAMME_CODE,
      period: 1,
      amount: terms.get(x)!.amount,
      village: villageNames[h.village],
      beneficiary: h.household,
      disbursementId: x,
      txHash: w.txHash,
    });
  }
  say(
    `the villages bound a receipt code to each of the ${notices.length} payments (the codes go on the households' notices)`,
  );
  await refused(say, "paying the first household of 浮石村 twice in the same period", () =>
    ledger.proposeDisbursement(
      d,
      fushi!,
      { programmeId, period: 1, key: keys[0]!, amount, paymentRefHash: commit("一卡通 代发批次 TS-2026-02 第1笔") },
      o,
    ),
  );
  const receipts = await hashesBy(
    fushi!,
    [0, 1, 2].map((i) => `种苗购买发票 ${households[i]!.household}`),
  );
  for (const i of [0, 1, 2]) {
    await ledger.recordUsage(d, fushi!, paid[i]!, receipts[i]!, o);
  }
  say("浮石村 recorded 3 usage receipts (seedling invoices)");

  const { value: projectId } = await ledger.createProject(
    d,
    doushan!,
    {
      code: PROJECT_CODE,
      programmeId,
      implementer: A.cooperative,
      budget: yuan(300_000),
      milestoneCount: 3,
      metadataHash: id("斗山镇浮石村蔬菜大棚项目实施方案"),
    },
    o,
  );
  await names.nameReliefProject(d, doushan!, projectId, PROJECT_NAME, o);
  await ledger.fundProject(d, doushan!, projectId, yuan(300_000), id("资金拨付单 DS-2026-0020"), o);
  say(
    "斗山镇 created the 浮石 greenhouse project (¥300,000.00 in 3 fixed milestones of ¥100,000.00) for the vegetable cooperative and funded it",
  );
  await refused(say, "paying milestone 1 before its evidence", () =>
    ledger.proposeProjectPayment(
      d,
      doushan!,
      { projectId, milestone: 0, amount: yuan(100_000), paymentRefHash: commit("工程款 1") },
      o,
    ),
  );
  const milestonePayments: string[] = [];
  for (const [m, what] of [
    [0, "大棚主体钢结构完工验收单"],
    [1, "灌溉与温控设备安装验收单"],
  ] as const) {
    await ledger.submitMilestone(d, coop!, projectId, m, id(what), o);
    if (m === 0) {
      await refused(say, "paying the whole budget against milestone 1", () =>
        ledger.proposeProjectPayment(
          d,
          doushan!,
          { projectId, milestone: 0, amount: yuan(300_000), paymentRefHash: commit("工程款 全额") },
          o,
        ),
      );
    }
    const t = { amount: yuan(100_000), paymentRefHash: commit(`工程款 ${m + 1}`) };
    const w = await ledger.proposeProjectPayment(d, doushan!, { projectId, milestone: m, ...t }, o);
    await ledger.approveDisbursement(d, rural!, w.value, t, o);
    milestonePayments.push(w.value);
  }
  await ledger.recordUsage(d, coop!, milestonePayments[0]!, id("钢材采购发票"), o);
  say("the cooperative submitted 2 milestones; 斗山镇 proposed ¥100,000.00 for each, 乡村振兴局 approved");
  await ledger.acceptProject(d, rural!, projectId, id("浮石村蔬菜大棚项目竣工验收报告"), o);
  say("乡村振兴局 closed the greenhouse after 2 of 3 milestones: the unspent ¥100,000.00 went back to 斗山镇");

  await ledger.returnFunds(d, shencun!, programmeId, yuan(30_000), id("莘村结余资金退回说明"), o);
  say("莘村 returned its unspent ¥30,000.00 to 都斛镇");

  const finding = await ledger.recordFinding(
    d,
    audit!,
    {
      targetKind: TARGET_KINDS.indexOf("disbursement"),
      target: paid[5]!,
      respondent: A.fushi,
      severity: 2,
      documentHash: id("审计发现: 发放清册缺少户主签字"),
    },
    o,
  );
  await ledger.answerFinding(d, fushi!, Number(finding.value), id("整改说明: 已补签"), o);
  await ledger.closeFinding(d, audit!, Number(finding.value), id("审计复核: 已整改"), o);
  say(
    `审计局 recorded finding ${finding.value} on one of 浮石村's payments; the village answered and the auditor closed it`,
  );

  const tree = await programmeTree(d, programmeId);
  const p = tree.programme;
  if (p.appropriated !== tree.totals.available + tree.totals.reserved + p.disbursed) {
    throw new LedgerError("the programme's money does not add up");
  }
  say(
    `${PROGRAMME_CODE}: appropriated ${formatYuan(p.appropriated, { symbol: true })} = disbursed ${formatYuan(p.disbursed, { symbol: true })} to ${tree.totals.beneficiaries} households and 1 project + ${formatYuan(tree.totals.available, { symbol: true })} unspent across ${tree.nodes.length} holders`,
  );
  return { programmeId, projectId, households, findingId: finding.value, tree, lines, notices };
}
