import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import { FROM_OPTION } from "../options.js";

const PROJECT = { name: "project", description: "Project code (e.g. JM-FLOOD-2026) or 0x id" } as const;
const OPTIONAL = { type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined } as const;

/** `--<name>-file`: a document anchored by its keccak256 hash. */
function fileOption<N extends string>(name: N, what: string) {
  return {
    name: `${name}File` as `${N}File`,
    description: `${what} to anchor by its keccak256 hash`,
    defaultValue: "",
  };
}

/** `--<name>-hash`: the same document's hash, when the file is not at hand. */
function hashOption<N extends string>(name: N, what: string) {
  return {
    name: `${name}Hash` as `${N}Hash`,
    description: `Hash of the ${what}, if not given as a file`,
    defaultValue: "",
  };
}

export const charityTasks = [
  emptyTask("charity", "Charity donations: projects, donations, disbursements, goods, trace, statistics").build(),
  emptyTask(["charity", "project"], "Fundraising projects: propose, approve, close, show").build(),

  task(["charity", "project", "propose"], "A charity proposes a fundraising project (civil affairs approves it)")
    .addPositionalArgument(PROJECT)
    .addOption({ name: "target", description: "Fundraising target in yuan, e.g. 500,000.00", ...OPTIONAL })
    .addOption(fileOption("permit", "Fundraising permit or filing document (公开募捐资格/备案)"))
    .addOption(hashOption("permit", "Fundraising permit or filing document (公开募捐资格/备案)"))
    .addOption({
      name: "metadataFile",
      description: "Project description document to anchor by its hash",
      defaultValue: "",
    })
    .addOption({
      name: "name",
      description:
        "Public name shown instead of the code, e.g. 江门市2026年洪灾救助 (1 to 96 bytes; a public fact, never personal data)",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-propose.js"))
    .build(),
  task(["charity", "project", "approve"], "Civil affairs approves a proposed project")
    .addPositionalArgument(PROJECT)
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-approve.js"))
    .build(),
  task(["charity", "project", "close"], "The charity or civil affairs closes a project to new donations")
    .addPositionalArgument(PROJECT)
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-close.js"))
    .build(),
  task(["charity", "project", "show"], "Show a project's status and money")
    .addPositionalArgument(PROJECT)
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./project-show.js"))
    .build(),

  task(["charity", "donate"], "Record one cash donation (by the project's charity or civil affairs)")
    .addPositionalArgument(PROJECT)
    .addOption({ name: "ref", description: "External reference: bank transaction id or receipt number", ...OPTIONAL })
    .addOption({ name: "amount", description: "Amount in yuan, e.g. 1,234.56", ...OPTIONAL })
    .addOption({ name: "channel", description: "bank, alipay, wechat, cash or other", defaultValue: "bank" })
    .addOption({
      name: "donor",
      description: "Donor's name: turned into a salted commitment locally, never sent",
      defaultValue: "",
    })
    .addOption({
      name: "receipts",
      description: "Local receipts file the donor's receipt code is added to",
      defaultValue: "charity-receipts.csv",
    })
    .addOption(fileOption("evidence", "Evidence document (bank slip, receipt)"))
    .addOption(hashOption("evidence", "Evidence document (bank slip, receipt)"))
    .addOption({
      name: "refKey",
      description: "The project's charity's reference key (charity ref-key), when recording for that charity",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./donate.js"))
    .build(),
  task(
    ["charity", "ref-key"],
    "Print the charity's donation reference key, for civil affairs recording donations on its behalf",
  )
    .addOption(FROM_OPTION)
    .setAction(() => import("./ref-key.js"))
    .build(),

  task(["charity", "disburse"], "Pay a registered recipient out of a project (it must confirm receipt)")
    .addPositionalArgument(PROJECT)
    .addOption({ name: "to", description: "Recipient: account, credit code or exact name", ...OPTIONAL })
    .addOption({ name: "amount", description: "Amount in yuan", ...OPTIONAL })
    .addOption({
      name: "purpose",
      description: "programme (项目支出) or administrative (管理费用)",
      defaultValue: "programme",
    })
    .addOption(fileOption("evidence", "Evidence document (contract, invoice)"))
    .addOption(hashOption("evidence", "Evidence document (contract, invoice)"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./disburse.js"))
    .build(),

  task(["charity", "confirm"], "The recipient confirms receipt of a disbursement or goods dispatch")
    .addPositionalArgument({ name: "id", description: "Disbursement or dispatch id (0x…)" })
    .addOption(fileOption("receipt", "Receipt document"))
    .addOption(hashOption("receipt", "Receipt document"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./confirm.js"))
    .build(),

  task(["charity", "grant"], "Pass money from one of your projects to another approved project")
    .addPositionalArgument({ name: "fromProject", description: "Your project (code or id)" })
    .addPositionalArgument({ name: "toProject", description: "Receiving project (code or id)" })
    .addOption({ name: "amount", description: "Amount in yuan", ...OPTIONAL })
    .addOption(fileOption("evidence", "Grant agreement"))
    .addOption(hashOption("evidence", "Grant agreement"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./grant.js"))
    .build(),

  emptyTask(["charity", "goods"], "Donations in kind: record a lot, dispatch it in parts, confirm receipt").build(),
  task(["charity", "goods", "record"], "Record a donation in kind as a lot (by the project's charity or civil affairs)")
    .addPositionalArgument(PROJECT)
    .addOption({ name: "ref", description: "External reference: receipt or delivery note number", ...OPTIONAL })
    .addOption({ name: "item", description: "Item code (GTIN or the charity's own code)", ...OPTIONAL })
    .addOption({ name: "quantity", description: "Quantity, a whole number of units", ...OPTIONAL })
    .addOption({ name: "unit", description: "Unit, e.g. 箱, kg, 件", ...OPTIONAL })
    .addOption({ name: "valuation", description: "Valuation in yuan", ...OPTIONAL })
    .addOption({ name: "batch", description: "Traceability batch id (0x…) of the goods, if any", defaultValue: "" })
    .addOption({
      name: "donor",
      description: "Donor's name: committed locally with a salt, never sent",
      defaultValue: "",
    })
    .addOption({ name: "receipts", description: "Local receipts file", defaultValue: "charity-receipts.csv" })
    .addOption(fileOption("evidence", "Evidence document (delivery note)"))
    .addOption(hashOption("evidence", "Evidence document (delivery note)"))
    .addOption({
      name: "refKey",
      description: "The project's charity's reference key (charity ref-key), when recording for that charity",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./goods-record.js"))
    .build(),
  task(["charity", "goods", "dispatch"], "Dispatch part of a lot to a registered recipient (it must confirm receipt)")
    .addPositionalArgument({ name: "lot", description: "Lot id (0x…)" })
    .addOption({ name: "to", description: "Recipient: account, credit code or exact name", ...OPTIONAL })
    .addOption({ name: "quantity", description: "Quantity, a whole number of units", ...OPTIONAL })
    .addOption(fileOption("evidence", "Evidence document (waybill)"))
    .addOption(hashOption("evidence", "Evidence document (waybill)"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./goods-dispatch.js"))
    .build(),
  task(["charity", "goods", "lots"], "Show a project's goods lots: item, quantity, valuation, dispatches and receipts")
    .addPositionalArgument(PROJECT)
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./goods-lots.js"))
    .build(),
  task(["charity", "goods", "confirm"], "The recipient confirms receipt of a goods dispatch")
    .addPositionalArgument({ name: "id", description: "Dispatch id (0x…)" })
    .addOption(fileOption("receipt", "Receipt document"))
    .addOption(hashOption("receipt", "Receipt document"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./confirm.js"))
    .build(),

  emptyTask(
    ["charity", "reverse"],
    "Corrections: the charity proposes reversing a donation, civil affairs approves",
  ).build(),
  task(["charity", "reverse", "propose"], "Propose reversing a donation recorded in error")
    .addPositionalArgument({ name: "donation", description: "Donation id (0x…)" })
    .addOption(fileOption("reason", "Explanation document"))
    .addOption(hashOption("reason", "Explanation document"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./reverse-propose.js"))
    .build(),
  task(["charity", "reverse", "approve"], "Civil affairs approves a proposed reversal")
    .addPositionalArgument({ name: "donation", description: "Donation id (0x…)" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./reverse-approve.js"))
    .build(),
  task(["charity", "reverse", "reject"], "Civil affairs rejects a proposed reversal (the donation stands)")
    .addPositionalArgument({ name: "donation", description: "Donation id (0x…)" })
    .addOption(fileOption("reason", "Explanation document"))
    .addOption(hashOption("reason", "Explanation document"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./reverse-reject.js"))
    .build(),

  emptyTask(["charity", "stats"], "Statistics reports").build(),
  task(["charity", "stats", "publish"], "Civil affairs publishes a statistics report with the on-chain totals")
    .addPositionalArgument({ name: "period", description: "Period, e.g. 2026-Q3" })
    .addOption(fileOption("report", "Report document"))
    .addOption(hashOption("report", "Report document"))
    .addOption(FROM_OPTION)
    .setAction(() => import("./stats-publish.js"))
    .build(),
  task(["charity", "stats", "show"], "Read back published statistics reports (all, or one period's) from the chain")
    .addPositionalArgument({ name: "period", description: "Period label as published, e.g. 2026-Q3", defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./stats-show.js"))
    .build(),

  task(["charity", "import"], "Import cash donations from a CSV or XLSX file (re-runnable: nothing is doubled)")
    .addPositionalArgument({
      name: "file",
      description: "CSV (UTF-8) or XLSX with columns ref/流水号, project/项目, amount/金额, …",
    })
    .addOption({
      name: "batchSize",
      description: "Donations per transaction",
      type: ArgumentType.INT,
      defaultValue: 100,
    })
    .addOption({
      name: "receipts",
      description: "Local receipts file (donor names and receipt codes; never sent)",
      defaultValue: "charity-receipts.csv",
    })
    .addOption({
      name: "project",
      description: "Project code of rows without one (a platform's export)",
      defaultValue: "",
    })
    .addOption({
      name: "channel",
      description: "Channel of every row: bank/银行, alipay/支付宝, wechat/微信, cash/现金, other/其他",
      defaultValue: "",
    })
    .addOption({ name: "sheet", description: "Worksheet to read (its name), or all", defaultValue: "" })
    .addFlag({ name: "dryRun", description: "Check every row and show the totals; write and send nothing" })
    .addFlag({ name: "skipRefused", description: "Send the valid rows even when some are refused" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./import.js"))
    .build(),

  task(["charity", "report"], "Donations, outflows, balances and Charity Law ratios of a project or a charity")
    .addOption({ name: "project", description: "One project (code or id)", defaultValue: "" })
    .addOption({
      name: "charity",
      description: "All projects of one charity (account, credit code or name)",
      defaultValue: "",
    })
    .addOption({ name: "format", description: "table, csv or xlsx", defaultValue: "table" })
    .addOption({
      name: "out",
      description: "Output file for csv/xlsx (default: charity-report.<format>)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON (amounts in fen as decimal strings)" })
    .setAction(() => import("./report.js"))
    .build(),

  task(["charity", "trace"], "Where a donation's money went (first-in first-out within its project)")
    .addPositionalArgument({ name: "donation", description: "Donation id (0x…) or receipt code (ZX-…)" })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./trace.js"))
    .build(),
];
