/**
 * What bench/query.ts looks up, put on chain through the library the CLI uses: a charity project
 * with one donation recorded early under a real receipt code (salted donor commitment, code formed
 * from the donation id and the salt as `charity import` forms it), a second donation, then a
 * disbursement confirmed by the hospital, so the donation's FIFO trace has a use and money still
 * held; and one product batch with a real history (commissioned, certified, stored, split, one
 * child shipped cooperative → cold chain → supermarket and each hand-over accepted). Then the
 * filler: cash donations in batches as big as fit a 30M-gas block, sent straight with ethers,
 * several in flight, alternately to the target's project and to a second project.
 */
import { createHash } from "node:crypto";

import {
  ZeroHash,
  id,
  isError,
  type ContractTransactionResponse,
  type JsonRpcProvider,
  type JsonRpcSigner,
} from "ethers";

import {
  approveProject,
  charityRefKey,
  confirmReceipt,
  disburse,
  proposeProject,
  recordDonation,
} from "../../src/charity/ledger.js";
import { projectIdOf, refHashOf } from "../../src/charity/ids.js";
import { donorCommitment, formatReceiptCode } from "../../src/charity/receipt-code.js";
import type { Deployment } from "../../src/deployment.js";
import * as trace from "../../src/trace/ledger.js";
import { withCheckDigit } from "../../src/dev/trace-story.js";
import { CATEGORIES, encodeCode, parseProductCode, parseUnit } from "../../src/trace/vocabulary.js";
import { CharityLedger__factory, type CharityLedger } from "../../types/ethers-contracts/index.js";

/** Sample accounts (deploy/parameters/dev.json, deploy/organisations/jiangmen.json). */
export const ACCOUNTS = {
  civilAffairs: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  charity: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  hospital: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  cooperative: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  lab: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  logistics: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  supermarket: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
} as const;

const O = { type: 0 as const, gasPrice: 0n };
const BLOCK_GAS = 30_000_000;

export interface Story {
  readonly projectId: string;
  readonly fillerProjectId: string;
  readonly donationId: string;
  readonly receiptCode: string;
  readonly disbursementId: string;
  /** The shipped child of the split: lineage of two batches. */
  readonly batchId: string;
  readonly parentBatchId: string;
}

export async function putStory(d: Deployment, provider: JsonRpcProvider): Promise<Story> {
  const signer = (a: string) => provider.getSigner(a);
  const charity = await signer(ACCOUNTS.charity);
  const civil = await signer(ACCOUNTS.civilAffairs);

  // Charity: the target's project and a second project for half of the filler.
  const [projectId, fillerProjectId] = [
    projectIdOf(ACCOUNTS.charity, "BENCH-QUERY"),
    projectIdOf(ACCOUNTS.charity, "BENCH-QUERY-2"),
  ];
  for (const code of ["BENCH-QUERY", "BENCH-QUERY-2"]) {
    const p = await proposeProject(d, charity, { code, targetFen: 10n ** 15n, permitHash: id(`permit ${code}`) }, O);
    await approveProject(d, civil, p.value, O);
  }
  const salt = id("bench query target salt").slice(0, 34); // 16 bytes
  const refKey = await charityRefKey(d, charity, await charity.getAddress());
  const donation = await recordDonation(
    d,
    charity,
    projectId,
    {
      refHash: refHashOf(refKey, "QUERY-TARGET-0001"),
      amount: 10_000n, // ¥100.00
      donorCommitment: donorCommitment("陈大文", salt),
      channel: 0,
      evidenceHash: ZeroHash,
      receivedOn: 0,
    },
    O,
  );
  await recordDonation(
    d,
    charity,
    projectId,
    {
      refHash: refHashOf(refKey, "QUERY-TARGET-0002"),
      amount: 5_000n,
      donorCommitment: donorCommitment("", id("bench query second salt").slice(0, 34)),
      channel: 2,
      evidenceHash: ZeroHash,
      receivedOn: 0,
    },
    O,
  );
  const paid = await disburse(
    d,
    charity,
    {
      projectId,
      recipient: ACCOUNTS.hospital,
      purpose: 0,
      amountFen: 6_000n, // ¥60.00 of the target's ¥100.00; ¥40.00 still held
      evidenceHash: id("bench query invoice"),
    },
    O,
  );
  await confirmReceipt(d, await signer(ACCOUNTS.hospital), paid.value, id("bench query hospital receipt"), O);

  // Traceability: one batch of rice with a history, split, one child shipped down the chain.
  const coop = await signer(ACCOUNTS.cooperative);
  const lab = await signer(ACCOUNTS.lab);
  const logistics = await signer(ACCOUNTS.logistics);
  const market = await signer(ACCOUNTS.supermarket);
  const now = async () => BigInt((await provider.getBlock("latest"))!.timestamp);
  const gln = (body: string) => BigInt(withCheckDigit(body));
  const at = async (place: string, evidence: string) => trace.context(gln(place), id(evidence), await now());
  const product = parseProductCode(withCheckDigit("690123450301"));
  const KGM = parseUnit("kg").hex;
  await trace.registerProduct(
    d,
    coop,
    {
      productCode: product,
      category: CATEGORIES.indexOf("agricultural"),
      producer: ACCOUNTS.cooperative,
      geographicIndication: false,
      metadataHash: id("台山大米 产品说明 (bench)"),
    },
    O,
  );
  const batch = await trace.commissionBatch(
    d,
    coop,
    {
      productCode: product,
      lotCode: encodeCode("lot", "QB-2026-001"),
      quantity: 1_000_000n,
      uom: KGM,
      giCertificate: 0,
    },
    await at("690123459101", "收割记录 QB-2026-001"),
    O,
  );
  await trace.certify(
    d,
    lab,
    batch.value,
    { passed: true, validUntil: (await now()) + 365n * 86_400n, reportHash: id("检测报告 QB-2026-001") },
    O,
  );
  await trace.recordEvent(d, coop, batch.value, "storing", await at("690123459102", "入库单 QB-2026-001"), O);
  const split = await trace.split(
    d,
    coop,
    batch.value,
    [
      { lotCode: encodeCode("lot", "QB-2026-001A"), quantity: 600_000n },
      { lotCode: encodeCode("lot", "QB-2026-001B"), quantity: 400_000n },
    ],
    await at("690123459102", "分装记录 QB-2026-001"),
    O,
  );
  const child = split.value[0]!;
  await trace.ship(d, coop, child, ACCOUNTS.logistics, await at("690123459102", "发货单 QB-2026-001A"), O);
  await trace.accept(d, logistics, child, await at("690123459103", "收货单 QB-2026-001A"), O);
  await trace.ship(d, logistics, child, ACCOUNTS.supermarket, await at("690123459103", "运单 QB-2026-001A"), O);
  await trace.accept(d, market, child, await at("690123459104", "验收单 QB-2026-001A"), O);

  return {
    projectId,
    fillerProjectId,
    donationId: donation.value.toLowerCase(),
    receiptCode: formatReceiptCode(donation.value, salt),
    disbursementId: paid.value,
    batchId: child.toLowerCase(),
    parentBatchId: batch.value.toLowerCase(),
  };
}

/** A deterministic 32-byte value that looks random (as keccak hashes and commitments do). */
const word = (text: string) => "0x" + createHash("sha256").update(text).digest("hex");

/**
 * Sends filler donations: `recordDonations` batches as big as fit a 30M-gas block (measured on the
 * first two batches), with an explicit gas limit and nonces, `inFlight` transactions at once.
 */
export class Filler {
  readonly #ledger: CharityLedger;
  readonly #signer: JsonRpcSigner;
  readonly #projects: readonly string[];
  #sent = 0;
  #batches = 0;
  /** Times a sent batch sat in Anvil's pool unmined and an `evm_mine` got it mined (see `#mined`). */
  nudges = 0;
  /** Gas of a batch: intercept + slope × donations (from the first two batches). */
  #fit: { intercept: number; slope: number } | undefined;

  constructor(address: string, signer: JsonRpcSigner, projects: readonly string[]) {
    this.#ledger = CharityLedger__factory.connect(address, signer);
    this.#signer = signer;
    this.#projects = projects;
  }

  /** Donations per transaction once measured. */
  get batchSize(): number {
    if (this.#fit === undefined) return 0;
    return Math.floor((BLOCK_GAS - 300_000) / (this.#fit.slope * 1.02));
  }

  get gasPerDonation(): number {
    return Math.round(this.#fit?.slope ?? 0);
  }

  #donations(n: number) {
    return Array.from({ length: n }, (_, i) => {
      const k = this.#sent + i;
      return {
        refHash: word(`BENCH-QUERY-FILL-${k}`),
        amount: BigInt(100 * (1 + (k % 500))),
        donorCommitment: word(`donor ${k}`),
        channel: k % 5,
        evidenceHash: ZeroHash, // as `charity import` sends without an evidence file
        receivedOn: 0,
      };
    });
  }

  async #send(n: number, nonce: number, gasLimit: number) {
    const project = this.#projects[this.#batches++ % this.#projects.length]!;
    const batch = this.#donations(n);
    this.#sent += n;
    const tx = await this.#ledger.recordDonations(project, batch, { ...O, gasLimit, nonce });
    return { tx, n };
  }

  /**
   * Waits for a batch to be mined. Even sent in nonce order, a batch now and then stays in Anvil's
   * pool although it is ready (seen under load); an explicit `evm_mine` mines it, so after 10 s
   * without a receipt the bench asks for a block, and gives up after 2 minutes.
   */
  async #mined(tx: ContractTransactionResponse) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await tx.wait(1, 10_000).catch((e: unknown) => {
        if (isError(e, "TIMEOUT")) return undefined;
        throw e;
      });
      if (r !== undefined) return r;
      if (Date.now() > deadline) throw new Error(`filler transaction ${tx.hash} was not mined within 2 minutes`);
      this.nudges++;
      await this.#signer.provider.send("evm_mine", []);
    }
  }

  /** Records `count` (≥ 300) more donations; `onProgress(n)` after each mined batch of n. */
  async fill(count: number, onProgress: (done: number) => void, inFlight = 4): Promise<void> {
    let nonce = await this.#signer.provider.getTransactionCount(await this.#signer.getAddress(), "pending");
    let done = 0;
    const check = (r: { gasUsed: bigint; logs: readonly unknown[]; status: number | null } | null, n: number) => {
      if (r === null || r.status !== 1 || r.logs.length !== n)
        throw new Error(`a filler batch of ${n} was not recorded whole: ${r?.logs.length ?? "no receipt"}`);
    };
    if (this.#fit === undefined) {
      // Measure: a batch of 100, then one of 200; the difference is the gas of 100 donations.
      const gas: number[] = [];
      for (const n of [100, 200]) {
        const { tx } = await this.#send(n, nonce++, BLOCK_GAS);
        const r = await this.#mined(tx);
        check(r, n);
        gas.push(Number(r!.gasUsed));
        done += n;
        onProgress(n);
      }
      const slope = (gas[1]! - gas[0]!) / 100;
      this.#fit = { intercept: gas[0]! - 100 * slope, slope };
    }
    // Sent one after the other, in nonce order, without waiting for the previous to be mined. Sent
    // concurrently, a higher nonce can reach Anvil first; Anvil queues it, and when the lower one is
    // mined the queued one becomes ready but is never mined (automine mines on arrival only).
    const pending: Promise<void>[] = [];
    while (done < count) {
      const n = Math.min(this.batchSize, count - done);
      // The fit's intercept is rough (its two batches went to different projects): a fixed margin covers a
      // small last batch, whose cold first donation costs more than the slope.
      const gasLimit = Math.min(BLOCK_GAS, Math.ceil(this.#fit.slope * n * 1.02) + 300_000);
      const { tx } = await this.#send(n, nonce++, gasLimit);
      pending.push(
        this.#mined(tx).then((r) => {
          check(r, n);
          onProgress(n);
        }),
      );
      done += n;
      if (pending.length >= inFlight) await pending.shift();
    }
    await Promise.all(pending);
  }

  /** Every filler donation sent so far. */
  get sent(): number {
    return this.#sent;
  }
}
