/**
 * Gas of every hot write beside its computed floor, the same operations on the store-everything
 * baseline, and the capacity that follows (donations per 30M-gas block).
 *
 * Runs on Hardhat's in-process network (`hardhat run bench/gas.ts`): deploys Zhixin Ledger with the
 * sample organisations, puts each ledger in use (non-zero counters, pending hand-overs, a recall
 * elsewhere), then sends each measured write as a transaction of its own, so that it finds storage
 * cold as a real transaction does, and reads `gasUsed` from its receipt. The floor of each is
 * computed from the transaction's real calldata and logs and the storage writes listed beside it
 * (bench/lib/floor.ts has the formula). A `debug_traceTransaction` of each splits the gas into
 * storage writes, storage reads, calls to the AccessManager hub, logs and the rest.
 */
import {
  AbiCoder,
  ContractFactory,
  ZeroHash,
  encodeBytes32String,
  id as keccakText,
  keccak256,
  type Signer,
} from "ethers";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../src/chain.js";
import { projectIdOf, refHashOf } from "../src/charity/ids.js";
import type { CashDonationInput } from "../src/charity/ledger.js";
import { ROLE } from "../src/roles.js";
import { deployWithSamples } from "../src/dev/setup.js";
import { itemIdOf } from "../src/trace/units.js";
import { gs1CheckDigit } from "../src/trace/vocabulary.js";
import { compileBaselines, writeResult } from "./lib/common.js";
import { type Floor, type RequiredWrite, describeWrites, floorOf } from "./lib/floor.js";

const started = Date.now();
const BLOCK_GAS = 30_000_000;
const BLOCK_SECONDS = 2;

// The target chain's rules: EVM paris ("merge" to Hardhat, as `npm run chain` runs Anvil) and a 30M-gas block.
const connection = await network.create({
  network: "hardhat",
  chainType: "l1",
  override: { hardfork: "merge", blockGasLimit: BLOCK_GAS, transactionGasCap: false },
});
const { ethers } = connection;
const d = await deployWithSamples(connection as never, () => {});
const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
const as = (account: string): Promise<Signer> => ethers.getSigner(account);

// Accounts of deploy/parameters/dev.json and deploy/organisations/jiangmen.json.
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const HOSPITAL = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const REGULATOR = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const PRODUCER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const LOGISTICS = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const FINANCE = "0xBcd4042DE499D14e55001CcbB24a551F3b954096";
const RURAL_AFFAIRS = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";
const TOWNSHIP = "0xcd3B766CCDd6AE721141F452C550Ca635964ce71";
const VILLAGE_A = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
const VILLAGE_B = "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec";

const h = (text: string) => keccakText(`bench:${text}`);

async function mined(tx: ContractTransactionResponse): Promise<TransactionReceipt> {
  const r = await tx.wait();
  if (r === null || r.status !== 1) throw new Error(`transaction ${tx.hash} failed`);
  return r;
}

// ---------------------------------------------------------------- trace breakdown

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

interface Breakdown {
  /** Gas the SSTOREs of the ledger itself charged (before refunds). */
  readonly sstore: number;
  readonly sstoreCount: number;
  readonly sload: number;
  readonly sloadCount: number;
  /** Calls to the AccessManager (`canCall` of `restricted`, `hasRole` of the domain checks), callee included. */
  readonly permissionHub: number;
  readonly permissionCalls: number;
  readonly logs: number;
  /** Refund the transaction got back. */
  readonly refund: number;
  /** Everything else: ABI decoding, hashing, memory, checks, jumps. */
  readonly other: number;
}

async function breakdown(tx: ContractTransactionResponse, receipt: TransactionReceipt, calldataGas: number) {
  const t = (await ethers.provider.send("debug_traceTransaction", [
    tx.hash,
    { disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  const logs = t.structLogs;
  const top = logs[0]?.depth ?? 1;
  const manager = d.addresses.AccessManager.toLowerCase();
  let sstore = 0,
    sstoreCount = 0,
    sload = 0,
    sloadCount = 0,
    hub = 0,
    hubCalls = 0,
    logGas = 0;
  for (let i = 0; i < logs.length; i++) {
    const s = logs[i]!;
    if (s.depth !== top) continue;
    if (s.op === "SSTORE") {
      sstore += s.gasCost;
      sstoreCount++;
    } else if (s.op === "SLOAD") {
      sload += s.gasCost;
      sloadCount++;
    } else if (s.op.startsWith("LOG")) {
      logGas += s.gasCost;
    } else if (s.op === "STATICCALL" || s.op === "CALL") {
      const stack = s.stack ?? [];
      const target = stack[stack.length - 2];
      let j = i + 1;
      while (j < logs.length && logs[j]!.depth !== top) j++;
      const cost = j < logs.length ? s.gas - logs[j]!.gas : s.gasCost;
      if (target !== undefined && BigInt(target) === BigInt(manager)) {
        hub += cost;
        hubCalls++;
      }
    }
  }
  const first = logs[0];
  const last = logs[logs.length - 1];
  const executed = first !== undefined && last !== undefined ? first.gas - last.gas + last.gasCost : 0;
  const gross = 21_000 + calldataGas + executed;
  const refund = Math.max(0, gross - Number(receipt.gasUsed));
  const b: Breakdown = {
    sstore,
    sstoreCount,
    sload,
    sloadCount,
    permissionHub: hub,
    permissionCalls: hubCalls,
    logs: logGas,
    refund,
    other: executed - sstore - sload - hub - logGas,
  };
  return b;
}

// ---------------------------------------------------------------- measuring

interface Measured {
  readonly domain: string;
  readonly op: string;
  /** Operations the transaction carries (100 for a batch of 100): figures below are per operation. */
  readonly per: number;
  readonly txGas: number;
  readonly gas: number;
  readonly floor: Floor;
  readonly floorPerOp: number;
  readonly ratio: number;
  readonly writes: readonly RequiredWrite[];
  readonly writesFormula: string;
  readonly breakdown: Breakdown;
  baseline?: { txGas: number; gas: number; times?: number };
}

const results: Measured[] = [];

async function measure(
  domain: string,
  op: string,
  send: () => Promise<ContractTransactionResponse>,
  writes: RequiredWrite[],
  per = 1,
): Promise<Measured> {
  const tx = await send();
  const r = await mined(tx);
  const floor = floorOf(tx.data, r.logs, writes);
  const gas = Number(r.gasUsed);
  const m: Measured = {
    domain,
    op,
    per,
    txGas: gas,
    gas: Math.round(gas / per),
    floor,
    floorPerOp: Math.round(floor.total / per),
    ratio: Math.round((gas / floor.total) * 1000) / 1000,
    writes,
    writesFormula: describeWrites(writes),
    breakdown: await breakdown(tx, r, floor.calldata),
  };
  results.push(m);
  console.log(
    `${domain.padEnd(8)} ${op.padEnd(34)} ${String(m.gas).padStart(8)} gas, floor ${String(m.floorPerOp).padStart(8)}, × ${m.ratio}`,
  );
  return m;
}

async function baselineGas(send: () => Promise<ContractTransactionResponse>, per = 1) {
  const r = await mined(await send());
  return { txGas: Number(r.gasUsed), gas: Math.round(Number(r.gasUsed) / per) };
}

// ---------------------------------------------------------------- charity

const charity = d.charity!;
const PROJECT = projectIdOf(CHARITY, "BENCH-GAS-2026");
/** Any 32 bytes: the gas of a record does not depend on the charity's reference key. */
const BENCH_REF_KEY = h("bench reference key");
/** 2025-07-01 as a day number (src/charity/business-date.ts): a receipt date in the past whatever the clock. */
const BENCH_DAY = 20_270;
const cash = (ref: string, amount: bigint, channel: number, evidence = true): CashDonationInput => ({
  refHash: refHashOf(BENCH_REF_KEY, ref),
  amount,
  donorCommitment: h(`commitment ${ref}`),
  channel,
  evidenceHash: evidence ? h(`evidence ${ref}`) : ZeroHash,
  receivedOn: BENCH_DAY, // a receipt date, as the importer sends the file's date column
});
/** 100 donations as `charity import` sends them: distinct refs, varied amounts and channels, no evidence file. */
const batchOf = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    cash(`${tag}-${i}`, 100n + (BigInt(h(`amount ${tag} ${i}`)) % 500_000n), i % 5, false),
  );

const asCharity = charity.connect(await as(CHARITY));
await mined(await asCharity.proposeProject("BENCH-GAS-2026", 100_000_000_00n, h("permit"), ZeroHash, o));
await mined(await charity.connect(await as(CIVIL_AFFAIRS)).approveProject(PROJECT, o));
// In use: money in, one programme and one administrative payment out, one of them pending.
await mined(await asCharity.recordDonation(PROJECT, cash("opening", 5_000_000_00n, 0), o));
await mined(await asCharity.recordDonations(PROJECT, batchOf("warm-up", 10), o));
const pendingDisbursement = await asCharity.disburse.staticCall(PROJECT, HOSPITAL, 0, 300_000_00n, h("invoice 1"), o);
await mined(await asCharity.disburse(PROJECT, HOSPITAL, 0, 300_000_00n, h("invoice 1"), o));
await mined(await asCharity.disburse(PROJECT, HOSPITAL, 1, 10_000_00n, h("invoice 2"), o));

const projectCounters: RequiredWrite = { slot: "project (balance, donation count)", transition: "update" };
const charityCounters: RequiredWrite = { slot: "charity's counters", transition: "update" };
const totalCounters: RequiredWrite = { slot: "totals (published statistics)", transition: "update" };

const recordOne = await measure(
  "charity",
  "record donation",
  () => asCharity.recordDonation(PROJECT, cash("alipay-20260101-0001", 200_00n, 1), o),
  [{ slot: "donation record (id unique forever)", transition: "new" }, projectCounters, charityCounters, totalCounters],
);
const record100 = await measure(
  "charity",
  "record donations (per donation, batch of 100)",
  () => asCharity.recordDonations(PROJECT, batchOf("wechat-20260101", 100), o),
  [{ slot: "donation records", transition: "new", count: 100 }, projectCounters, charityCounters, totalCounters],
  100,
);
const disburse = await measure(
  "charity",
  "disburse",
  () => asCharity.disburse(PROJECT, HOSPITAL, 0, 150_000_00n, h("invoice 3"), o),
  [
    { slot: "project (outflow, disbursed)", transition: "update" },
    { slot: "hand-over record (recipient, amount, pending)", transition: "new" },
    { slot: "charity's counters (programme spent)", transition: "update" },
    { slot: "totals (programme spent)", transition: "update" },
  ],
);
const confirm = await measure(
  "charity",
  "confirm (disbursement)",
  async () => charity.connect(await as(HOSPITAL)).confirmDisbursement(pendingDisbursement, h("bank receipt 1"), o),
  [{ slot: "hand-over state (pending → confirmed)", transition: "update" }],
);
// Capacity with the CLI's largest batch (--batch-size 500).
const record500 = await measure(
  "charity",
  "record donations (per donation, batch of 500)",
  () => asCharity.recordDonations(PROJECT, batchOf("bank-20260102", 500), o),
  [{ slot: "donation records", transition: "new", count: 500 }, projectCounters, charityCounters, totalCounters],
  500,
);

// ---------------------------------------------------------------- traceability

const trace = d.trace!;
const PRODUCT = encodeBytes32String("6901234599996");
const KGM = "0x4b474d";
const GLN = 6901234590019n;
const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
const ctx = async (what: string) => ({
  location: GLN,
  eventTime: await now(),
  evidenceHash: h(what),
  eventId: ZeroHash,
  quantity: 0n,
  uom: "0x000000",
  disposition: 0,
});
const asProducer = trace.connect(await as(PRODUCER));
const lot = (code: string) => encodeBytes32String(code);
const commission = async (code: string, quantity: bigint) => {
  const c = { productCode: PRODUCT, lotCode: lot(code), quantity, uom: KGM, giCertificate: 0 };
  const context = await ctx(`commission ${code}`);
  const id = await asProducer.commissionBatch.staticCall(c, context, o);
  await mined(await asProducer.commissionBatch(c, context, o));
  return id;
};
await mined(await asProducer.registerProduct(PRODUCT, 0, PRODUCER, false, h("product"), o));
// In use: a recall elsewhere in the city (the measured batches are commissioned after it).
const elsewhere = await commission("BENCH-ELSEWHERE", 1_000n);
await mined(await trace.connect(await as(REGULATOR)).recall(elsewhere, h("recall notice"), o));
const stockEvent = await commission("BENCH-STOCK-E", 10_000_000n);
const stockShip = await commission("BENCH-STOCK-S", 10_000_000n);
const stockSplit = await commission("BENCH-STOCK-X", 10_000_000n);
const pending = await commission("BENCH-PENDING", 500_000n);
await mined(await asProducer.ship(pending, LOGISTICS, await ctx("ship pending"), o));

const commissionM = await measure(
  "trace",
  "commission batch",
  async () =>
    asProducer.commissionBatch(
      { productCode: PRODUCT, lotCode: lot("LOT-2026-0615-A"), quantity: 1_500_000n, uom: KGM, giCertificate: 0 },
      await ctx("commission A"),
      o,
    ),
  [{ slot: "batch record (custodian + status; quantity + product + unit)", transition: "new", count: 2 }],
);
const eventM = await measure(
  "trace",
  "trace event (storing)",
  async () => asProducer.recordEvent(stockEvent, 7, await ctx("storing"), o),
  [],
);
const shipM = await measure(
  "trace",
  "ship",
  async () => asProducer.ship(stockShip, LOGISTICS, await ctx("shipping"), o),
  [{ slot: "pending receiver (the hand-over awaiting acceptance)", transition: "new" }],
);
const acceptM = await measure(
  "trace",
  "accept",
  async () => trace.connect(await as(LOGISTICS)).accept(pending, await ctx("receiving"), o),
  [
    { slot: "custodian (+ role, status)", transition: "update" },
    { slot: "pending receiver", transition: "clear" },
  ],
);
const lots = Array.from({ length: 10 }, (_, i) => lot(`LOT-2026-0615-S${String.fromCharCode(65 + i)}`));
await measure(
  "trace",
  "split into 10",
  async () => asProducer.split(stockSplit, lots, Array(10).fill(1_000_000n), await ctx("splitting"), o),
  [
    { slot: "parent status (consumed)", transition: "update" },
    { slot: "child batch records (2 slots each)", transition: "new", count: 20 },
    { slot: "child → parent links (recalls reach descendants)", transition: "new", count: 10 },
  ],
);

// ---------------------------------------------------------------- serialised items and pallets (TraceUnits)

const traceUnits = d.traceUnits!;
const asUnits = traceUnits.connect(await as(PRODUCER));
const serialsOf = (tag: string, n: number) => Array.from({ length: n }, (_, i) => encodeBytes32String(`${tag}${i}`));
const boxesOf = async (tag: string, n: number) => {
  const serials = serialsOf(tag, n);
  await mined(await asUnits.commissionItems(PRODUCT, ZeroHash, serials, await ctx(`commission ${tag}`), o));
  return serials.map((s) => itemIdOf(PRODUCT, s));
};
/** SSCC number `n` of the producer: extension digit 0, GS1 check digit. */
const ssccOf = (n: number) => {
  const body = (6_901_234_000_000_000n + BigInt(n)).toString().padStart(17, "0");
  return BigInt(body + gs1CheckDigit(body));
};
const packInto = async (n: number, boxes: string[]) =>
  asUnits.pack(PRODUCER, ssccOf(n), boxes, [], await ctx(`packing ${n}`), o);
// In use: a pallet packed and shipped before.
await mined(await packInto(1, await boxesOf("WARM-", 5)));
const newContainer: RequiredWrite[] = [
  { slot: "container record (holder + role + status + number)", transition: "new" },
  { slot: "container id by number", transition: "new" },
  { slot: "container count", transition: "update" },
  { slot: "contents counters (units, containers, batches)", transition: "new" },
];
await measure(
  "trace",
  "commission 100 serialised boxes (per box)",
  async () => asUnits.commissionItems(PRODUCT, ZeroHash, serialsOf("BOX-", 100), await ctx("commission boxes"), o),
  [{ slot: "item records (holder + role + status + container)", transition: "new", count: 100 }],
  100,
);
const hundred = serialsOf("BOX-", 100).map((s) => itemIdOf(PRODUCT, s));
const ten = await boxesOf("CASE-", 10);
const single = await boxesOf("ONE-", 1);
await measure("trace", "pack 1 box into a new SSCC", () => packInto(2, single), [
  ...newContainer,
  { slot: "box's container", transition: "update" },
]);
await measure("trace", "pack 10 boxes into a new SSCC", () => packInto(3, ten), [
  ...newContainer,
  { slot: "boxes' container", transition: "update", count: 10 },
]);
await measure("trace", "pack 100 boxes onto a new pallet", () => packInto(4, hundred), [
  ...newContainer,
  { slot: "boxes' container", transition: "update", count: 100 },
]);
const pallet = await traceUnits.containerId(PRODUCER, ssccOf(4));
await measure(
  "trace",
  "ship a pallet of 100 boxes",
  async () => asUnits.ship(pallet, LOGISTICS, await ctx("shipping pallet"), o),
  [
    { slot: "pending receiver (the hand-over awaiting acceptance)", transition: "new" },
    { slot: "pallet status", transition: "update" },
  ],
);
await measure(
  "trace",
  "accept a pallet of 100 boxes",
  async () => traceUnits.connect(await as(LOGISTICS)).accept(pallet, await ctx("receiving pallet"), o),
  [
    { slot: "pallet holder (+ role, status)", transition: "update" },
    { slot: "pending receiver", transition: "clear" },
  ],
);
await measure(
  "trace",
  "unpack 100 boxes from a pallet",
  async () => traceUnits.connect(await as(LOGISTICS)).unpack(pallet, hundred, [], await ctx("unpacking"), o),
  [
    { slot: "boxes (container, holder, role)", transition: "update", count: 100 },
    { slot: "contents counters", transition: "update" },
  ],
);

// ---------------------------------------------------------------- poverty relief

const relief = d.relief!;
const PROGRAMME_CODE = "BENCH-IND-2026";
const YUAN = 100n;
const LIFTED_FROM_POVERTY = 2;
const MINIMUM_LIVING_ALLOWANCE = 0;
const asFinance = relief.connect(await as(FINANCE));
const asRural = relief.connect(await as(RURAL_AFFAIRS));
const asTownship = relief.connect(await as(TOWNSHIP));
const asVillage = relief.connect(await as(VILLAGE_A));
// Programme ids are namespaced by the finance bureau that creates the code.
const PROGRAMME = await relief.programmeIdOf(FINANCE, PROGRAMME_CODE);
await mined(
  await asFinance.createProgramme(
    PROGRAMME_CODE,
    {
      category: 0,
      fiscalYear: 2026,
      periods: 12,
      approverRole: ROLE.RURAL_AFFAIRS,
      requiredAttestations: 1 << LIFTED_FROM_POVERTY,
      budget: 1_000_000n * YUAN,
      perBeneficiaryCap: 3_000n * YUAN,
    },
    h("programme notice"),
    o,
  ),
);
await mined(await asFinance.allocate(PROGRAMME, RURAL_AFFAIRS, 700_000n * YUAN, h("allocation 1"), o));
// Below the finance bureau a holder first accepts the holder above it (setParent).
await mined(await asTownship.setParent(PROGRAMME, TOWNSHIP, RURAL_AFFAIRS, h("consent 1"), o));
await mined(await asRural.allocate(PROGRAMME, TOWNSHIP, 420_000n * YUAN, h("allocation 2"), o));
await mined(await asVillage.setParent(PROGRAMME, VILLAGE_A, TOWNSHIP, h("consent 2"), o));
await mined(await asTownship.allocate(PROGRAMME, VILLAGE_A, 80_000n * YUAN, h("allocation 3"), o));
await mined(await relief.connect(await as(VILLAGE_B)).setParent(PROGRAMME, VILLAGE_B, TOWNSHIP, h("consent 3"), o));
const key1 = h("beneficiary key 1"); // stands for HMAC-SHA256(secret, ID number): opaque 32 bytes
const key2 = h("beneficiary key 2");
await mined(await asVillage.registerBeneficiary(key1, h("household 1"), o));
await mined(await asVillage.registerBeneficiary(key2, h("household 2"), o));
await mined(await asRural.attest(key1, LIFTED_FROM_POVERTY, h("attestation 1"), o));
const paid = await asVillage.proposeDisbursement.staticCall(PROGRAMME, 1, key1, 2_000n * YUAN, h("payment 1"), o);
await mined(await asVillage.proposeDisbursement(PROGRAMME, 1, key1, 2_000n * YUAN, h("payment 1"), o));
await mined(await asRural.approveDisbursement(paid, 2_000n * YUAN, h("payment 1"), o));
const pendingPayment = await asVillage.proposeDisbursement.staticCall(
  PROGRAMME,
  2,
  key1,
  2_000n * YUAN,
  h("payment 2"),
  o,
);
await mined(await asVillage.proposeDisbursement(PROGRAMME, 2, key1, 2_000n * YUAN, h("payment 2"), o));

await measure(
  "relief",
  "allocate (to a new holder)",
  () => asTownship.allocate(PROGRAMME, VILLAGE_B, 50_000n * YUAN, h("allocation 4"), o),
  [
    { slot: "sender's holding (available)", transition: "update" },
    { slot: "receiver's holding (parent + available)", transition: "new" },
  ],
);
await measure(
  "relief",
  "propose (disbursement)",
  () => asVillage.proposeDisbursement(PROGRAMME, 3, key1, 2_000n * YUAN, h("payment 3"), o),
  [
    { slot: "holder's holding (available → reserved)", transition: "update" },
    {
      slot: "disbursement record (proposer + amount; beneficiary key; programme + status; payment-reference hash), id unique per period",
      transition: "new",
      count: 4,
    },
  ],
);
await measure(
  "relief",
  "approve (disbursement)",
  () => asRural.approveDisbursement(pendingPayment, 2_000n * YUAN, h("payment 2"), o),
  [
    { slot: "disbursement status", transition: "update" },
    { slot: "holder's holding (reserved → disbursed)", transition: "update" },
    { slot: "programme's disbursed total", transition: "update" },
  ],
);
await measure(
  "relief",
  "attest",
  async () => relief.connect(await as(CIVIL_AFFAIRS)).attest(key2, MINIMUM_LIVING_ALLOWANCE, h("attestation 2"), o),
  [{ slot: "beneficiary's attestation bits", transition: "update" }],
);

// ---------------------------------------------------------------- the store-everything baseline

const compiled = await compileBaselines();
const deployer = await as(CHARITY);
const deployBaseline = async (name: string, args: unknown[]) => {
  const c = compiled[name];
  if (c === undefined) throw new Error(`baseline ${name} did not compile`);
  const f = new ContractFactory(c.abi as never, c.bytecode, deployer);
  const contract = await f.deploy(...args, o);
  await contract.waitForDeployment();
  return contract;
};
// The baseline's methods, typed by hand: it has no typechain types (it is not a project contract).
type Send = (...args: unknown[]) => Promise<ContractTransactionResponse>;
const method = (c: object, signer: Signer, name: string): Send => {
  const connected = (c as { connect(s: Signer): Record<string, Send> }).connect(signer);
  const m = connected[name];
  if (m === undefined) throw new Error(`no ${name}`);
  return m;
};
const baseCharity = await deployBaseline("StoreEverythingCharity", [[CHARITY], [HOSPITAL]]);
const bc = (name: string) => method(baseCharity, deployer, name);
await mined(await bc("createProject")(PROJECT, 100_000_000_00n, o));
await mined(await bc("recordDonation")(PROJECT, cash("opening", 5_000_000_00n, 0), o));
await mined(await bc("recordDonations")(PROJECT, batchOf("warm-up", 10), o));
await mined(await bc("disburse")(PROJECT, HOSPITAL, 0, 300_000_00n, h("invoice 1"), o));
const firstDisbursement = await (
  baseCharity as unknown as { disbursements(i: number): Promise<{ id: string }> }
).disbursements(0);
await mined(await bc("disburse")(PROJECT, HOSPITAL, 1, 10_000_00n, h("invoice 2"), o));

recordOne.baseline = await baselineGas(() =>
  bc("recordDonation")(PROJECT, cash("alipay-20260101-0001", 200_00n, 1), o),
);
record100.baseline = await baselineGas(() => bc("recordDonations")(PROJECT, batchOf("wechat-20260101", 100), o), 100);
disburse.baseline = await baselineGas(() => bc("disburse")(PROJECT, HOSPITAL, 0, 150_000_00n, h("invoice 3"), o));
confirm.baseline = await baselineGas(async () =>
  method(baseCharity, await as(HOSPITAL), "confirmDisbursement")(firstDisbursement.id, h("bank receipt 1"), o),
);
// 500 baseline donations need ~100M gas: more than a block holds. Recorded as not possible.
const baseline500 = await baselineGas(
  () => bc("recordDonations")(PROJECT, batchOf("bank-20260102", 500), o),
  500,
).catch((e: Error) => ({ error: e.message.split("\n")[0] ?? "failed" }));
if ("error" in baseline500) console.log(`baseline batch of 500: ${baseline500.error}`);
else record500.baseline = { ...baseline500, times: 0 };

const baseTrace = await deployBaseline("StoreEverythingTrace", [[PRODUCER, LOGISTICS]]);
const bt = (signer: Signer, name: string) => method(baseTrace, signer, name);
const producer = await as(PRODUCER);
const logistics = await as(LOGISTICS);
const baseCommission = async (code: string, quantity: bigint) =>
  mined(await bt(producer, "commissionBatch")(PRODUCT, lot(code), quantity, KGM, GLN, await now(), h(code), o));
const idOf = (code: string) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [PRODUCT, lot(code)]));
await baseCommission("BENCH-ELSEWHERE", 1_000n);
await baseCommission("BENCH-STOCK-E", 10_000_000n);
await baseCommission("BENCH-STOCK-S", 10_000_000n);
await baseCommission("BENCH-PENDING", 500_000n);
await mined(await bt(producer, "ship")(idOf("BENCH-PENDING"), LOGISTICS, GLN, await now(), h("ship pending"), o));

commissionM.baseline = await baselineGas(async () =>
  bt(producer, "commissionBatch")(PRODUCT, lot("LOT-2026-0615-A"), 1_500_000n, KGM, GLN, await now(), h("c A"), o),
);
eventM.baseline = await baselineGas(async () =>
  bt(producer, "recordEvent")(idOf("BENCH-STOCK-E"), 7, GLN, await now(), h("storing"), o),
);
shipM.baseline = await baselineGas(async () =>
  bt(producer, "ship")(idOf("BENCH-STOCK-S"), LOGISTICS, GLN, await now(), h("shipping"), o),
);
acceptM.baseline = await baselineGas(async () =>
  bt(logistics, "accept")(idOf("BENCH-PENDING"), GLN, await now(), h("receiving"), o),
);
for (const m of [recordOne, record100, disburse, confirm, record500, commissionM, eventM, shipM, acceptM]) {
  if (m.baseline !== undefined) m.baseline.times = Math.round((m.baseline.gas / m.gas) * 100) / 100;
}

// ---------------------------------------------------------------- capacity

const perBlock = (txGas: number, per: number) => Math.floor(BLOCK_GAS / txGas) * per;
const capacity = [
  { design: "Zhixin Ledger", how: "one donation per transaction", txGas: recordOne.txGas, per: 1 },
  { design: "Zhixin Ledger", how: "batches of 100 (charity import default)", txGas: record100.txGas, per: 100 },
  { design: "Zhixin Ledger", how: "batches of 500 (--batch-size 500)", txGas: record500.txGas, per: 500 },
  { design: "store-everything", how: "one donation per transaction", txGas: recordOne.baseline!.txGas, per: 1 },
  { design: "store-everything", how: "batches of 100", txGas: record100.baseline!.txGas, per: 100 },
].map((c) => ({
  ...c,
  perBlock: perBlock(c.txGas, c.per),
  perSecond: perBlock(c.txGas, c.per) / BLOCK_SECONDS,
}));
capacity.push({
  design: "store-everything",
  how: "batches of 500: " + (record500.baseline === undefined ? "one transaction exceeds the block" : "fits"),
  txGas: record500.baseline?.txGas ?? 0,
  per: 500,
  perBlock: record500.baseline === undefined ? 0 : perBlock(record500.baseline.txGas, 500),
  perSecond: record500.baseline === undefined ? 0 : perBlock(record500.baseline.txGas, 500) / BLOCK_SECONDS,
});

/**
 * Filling a real block: with automine off, as many batches of 100 as the computed capacity plus one
 * are sent (each with the gas limit the node estimates, as every tool sends them), then one block is
 * mined: how many donations did it take?
 */
async function fillBlock() {
  const signer = await as(CHARITY);
  const ledger = charity.connect(signer);
  const batches = Array.from({ length: Math.floor(BLOCK_GAS / record100.txGas) + 1 }, (_, k) =>
    batchOf(`fill-${k}`, 100),
  );
  const gasLimit = await ledger.recordDonations.estimateGas(PROJECT, batches[0]!, o);
  await ethers.provider.send("evm_setAutomine", [false]);
  let nonce = await ethers.provider.getTransactionCount(CHARITY, "latest");
  for (const b of batches) await ledger.recordDonations(PROJECT, b, { ...o, gasLimit, nonce: nonce++ });
  await ethers.provider.send("evm_mine", []);
  const block = await ethers.provider.getBlock("latest");
  await ethers.provider.send("evm_setAutomine", [true]);
  await ethers.provider.send("evm_mine", []); // the rest
  return {
    sent: batches.length,
    gasLimitPerTx: Number(gasLimit),
    included: block?.transactions.length ?? 0,
    donations: (block?.transactions.length ?? 0) * 100,
    blockGasUsed: Number(block?.gasUsed ?? 0n),
    blockGasLimit: Number(block?.gasLimit ?? 0n),
  };
}
const filled = await fillBlock();
console.log(
  `one mined block took ${filled.included} of ${filled.sent} batches of 100 (${filled.donations} donations, ${filled.blockGasUsed} gas of ${filled.blockGasLimit})`,
);

for (const c of capacity) {
  console.log(`capacity ${c.design.padEnd(16)} ${c.how.padEnd(42)} ${c.perBlock} per 30M block, ${c.perSecond}/s`);
}

const path = await writeResult("gas", started, {
  network: "Hardhat in-process (EDR), hardfork per hardhat.config.ts; contracts compiled for paris",
  blockGas: BLOCK_GAS,
  blockSeconds: BLOCK_SECONDS,
  operations: results,
  capacity,
  filledBlock: filled,
});
console.log(`written ${path}`);
