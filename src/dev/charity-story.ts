/**
 * The flood-relief story `npm run demo` tells (2026 江门 flood): a project approved by civil
 * affairs, 200 donations imported from a spreadsheet, goods received and dispatched to a hospital,
 * disbursements confirmed by the hospital, a grant to a district charity, a correction, and a
 * statistics report. Every step goes through the same library the CLI uses.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { Signer } from "ethers";
import { ZeroHash, encodeBytes32String, id, toUtf8Bytes, zeroPadBytes, hexlify } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import type { Deployment } from "../deployment.js";
import { formatYuan } from "../money.js";
import { nameCharityProject } from "../names/ledger.js";
import { readDonationFile } from "../charity/donation-file.js";
import { donationIdOf, refHashOf } from "../charity/ids.js";
import { importDonations } from "../charity/importer.js";
import {
  approveProject,
  approveReversal,
  charityRefKey,
  confirmReceipt,
  disburse,
  dispatchGoods,
  grant,
  proposeProject,
  proposeReversal,
  publishStatistics,
  recordDonations,
  recordGoods,
} from "../charity/ledger.js";
import { describeTrace, traceDonation } from "../charity/trace.js";

/** Accounts of the sample organisations (deploy/organisations/jiangmen.json, deploy/parameters/dev.json). */
export const DEMO_ACCOUNTS = {
  civilAffairs: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  charity: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  districtCharity: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  hospital: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
} as const;

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "罗",
  "梁",
];
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "洋",
  "艳",
  "勇",
  "军",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "华",
  "慧",
];

/** The 200 donors of the demo: made-up names, some anonymous, deterministic. */
export function demoDonors(): { ref: string; donor: string; amountYuan: string; channel: string; date: string }[] {
  const channels = ["bank", "支付宝", "微信", "现金", "bank"];
  return Array.from({ length: 200 }, (_, i) => ({
    ref: `GDB2026071${String(1000 + i)}`,
    donor: i % 17 === 0 ? "" : `${SURNAMES[i % 20]}${GIVEN[(i * 7) % 20]}`,
    amountYuan: (((i * 7919) % 5000) + 50 + (i % 4) * 0.25).toFixed(2),
    channel: channels[i % channels.length]!,
    date: `2026-07-${String(1 + (i % 28)).padStart(2, "0")}`,
  }));
}

/** The public names the charities give their projects (PublicNames). */
export const PROJECT_NAME = "江门市2026年洪灾救助";
export const DISTRICT_PROJECT_NAME = "蓬江区灾后重建";

/** The donor whose donation the story reverses (a bank test transfer): the last of the export. */
export const REVERSED_DONOR = 199;

export interface StoryResult {
  readonly projectCode: string;
  readonly donorNames: readonly string[];
  readonly lines: readonly string[];
}

/** Runs the story; `signerFor` gives each sample organisation's signer. */
export async function runFloodReliefStory(
  d: Deployment,
  signerFor: (account: string) => Promise<Signer>,
  overrides: LegacyOverrides,
  workDir: string,
  log: (line: string) => void = console.log,
): Promise<StoryResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  const civil = await signerFor(DEMO_ACCOUNTS.civilAffairs);
  const charity = await signerFor(DEMO_ACCOUNTS.charity);
  const district = await signerFor(DEMO_ACCOUNTS.districtCharity);
  const hospital = await signerFor(DEMO_ACCOUNTS.hospital);
  const y = (fen: bigint) => formatYuan(fen, { symbol: true });

  const code = "JM-FLOOD-2026";
  const { value: projectId } = await proposeProject(
    d,
    charity,
    { code, targetFen: 100_000_000n, permitHash: id("粤民募字〔2026〕017号") },
    overrides,
  );
  await approveProject(d, civil, projectId, overrides);
  await nameCharityProject(d, charity, projectId, PROJECT_NAME, overrides);
  say(`江门市慈善会 proposed ${code} ${PROJECT_NAME} (target ${y(100_000_000n)}); 江门市民政局 approved it`);

  const districtCode = "PJ-RECOVERY-2026";
  const { value: districtId } = await proposeProject(
    d,
    district,
    { code: districtCode, targetFen: 20_000_000n, permitHash: id("备案 2026-PJ-08") },
    overrides,
  );
  await approveProject(d, civil, districtId, overrides);
  await nameCharityProject(d, district, districtId, DISTRICT_PROJECT_NAME, overrides);

  // 200 donations from the bank's export, imported as a charity would.
  await mkdir(workDir, { recursive: true });
  const donors = demoDonors();
  const csv =
    "流水号,项目,金额,日期,捐赠人,渠道\n" +
    donors
      .map((r) =>
        [
          r.ref,
          code,
          `"${Number(r.amountYuan).toLocaleString("en-US", { minimumFractionDigits: 2 })}"`,
          r.date,
          r.donor,
          r.channel,
        ].join(","),
      )
      .join("\n") +
    "\n";
  const file = join(workDir, "donations.csv");
  await writeFile(file, csv);
  const { rows, errors } = await readDonationFile(file);
  if (errors.length > 0) throw new Error(`demo data has row errors: ${JSON.stringify(errors)}`);
  const charityAddress = await charity.getAddress();
  // The charity's reference key: bank serial numbers reach the chain only keyed with it.
  const refKey = await charityRefKey(d, charity, charityAddress);
  const imported = await importDonations({
    rows,
    charity: charityAddress,
    refKey,
    resolveProject: async () => projectId,
    receiptsPath: join(workDir, "receipts.csv"),
    batchSize: 100,
    submit: async (pid, batch) => {
      const w = await recordDonations(d, charity, pid, batch, overrides);
      return { recorded: w.value, txHash: w.txHash };
    },
  });
  const totalFen = rows.reduce((s, r) => s + r.amountFen, 0n);
  say(
    `imported ${imported.recorded} donations (${y(totalFen)}) in ${imported.batches} transactions; receipts kept locally`,
  );

  // Goods: bottled water, 500 cases, 300 dispatched to the hospital and confirmed.
  const goodsRef = "DN-2026-0712";
  const lotId = donationIdOf(charityAddress, refHashOf(refKey, goodsRef));
  await recordGoods(
    d,
    charity,
    projectId,
    {
      refHash: refHashOf(refKey, goodsRef),
      itemCode: encodeBytes32String("6901234567892"),
      quantity: 500n,
      unit: zeroPadBytes(hexlify(toUtf8Bytes("箱")), 16),
      valuation: 1_800_000n,
      productBatchId: ZeroHash,
      donorCommitment: id("企业捐赠 demo"),
      evidenceHash: id("delivery note DN-2026-0712"),
    },
    overrides,
  );
  const dispatch = await dispatchGoods(
    d,
    charity,
    { lotId, recipient: DEMO_ACCOUNTS.hospital, quantity: 300n, evidenceHash: id("waybill 88") },
    overrides,
  );
  await confirmReceipt(d, hospital, dispatch.value, id("signed receipt 88"), overrides);
  say(`500 cases of bottled water received; 300 dispatched to 江门市中心医院, which confirmed`);

  // Money out: medicine (programme, confirmed), logistics staff (administrative, pending).
  const medicine = await disburse(
    d,
    charity,
    {
      projectId,
      recipient: DEMO_ACCOUNTS.hospital,
      purpose: 0,
      amountFen: 20_000_000n,
      evidenceHash: id("药品采购合同 2026-31"),
    },
    overrides,
  );
  await confirmReceipt(d, hospital, medicine.value, id("hospital receipt 2026-31"), overrides);
  await disburse(
    d,
    charity,
    {
      projectId,
      recipient: DEMO_ACCOUNTS.hospital,
      purpose: 1,
      amountFen: 500_000n,
      evidenceHash: id("劳务协议 2026-02"),
    },
    overrides,
  );
  say(
    `disbursed ${y(20_000_000n)} for medicine (confirmed by the hospital) and ${y(500_000n)} administrative (pending)`,
  );

  await grant(
    d,
    charity,
    {
      fromProjectId: projectId,
      toProjectId: districtId,
      amountFen: 5_000_000n,
      evidenceHash: id("资助协议 PJ-2026-1"),
    },
    overrides,
  );
  say(`granted ${y(5_000_000n)} to 江门市蓬江区慈善会's ${districtCode}`);

  // A correction: the last donation of the export was a bank test transfer. Nothing has used it yet
  // (the outflows so far reached only earlier donations), so the reversal takes back its own money.
  const wrongRef = donors[REVERSED_DONOR]!.ref;
  const wrong = donationIdOf(charityAddress, refHashOf(refKey, wrongRef));
  await proposeReversal(d, charity, wrong, id("bank notice: test transfer"), overrides);
  await approveReversal(d, civil, wrong, overrides);
  say(`donation ${wrongRef} reversed on 江门市慈善会's proposal, approved by 江门市民政局`);

  const stats = await publishStatistics(
    d,
    civil,
    id("2026-Q3"),
    id("江门市慈善捐赠统计公报 2026年第三季度"),
    overrides,
  );
  say(
    `江门市民政局 published the 2026-Q3 statistics: received ${y(stats.value.received)}, programme ${y(stats.value.programmeSpent)}, admin ${y(stats.value.adminSpent)}`,
  );

  const first = donationIdOf(charityAddress, refHashOf(refKey, donors[0]!.ref));
  const trace = await traceDonation(d.charity!, charity.provider!, first);
  const names: Record<string, string> = {
    [DEMO_ACCOUNTS.hospital.toLowerCase()]: "江门市中心医院",
    [districtId]: districtCode,
  };
  say(`trace of the first donation: ${describeTrace(trace, (k) => names[k.toLowerCase()] ?? k, y)}`);

  return { projectCode: code, donorNames: donors.map((r) => r.donor).filter((n) => n !== ""), lines };
}
