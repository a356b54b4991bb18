import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { FROM_OPTION } from "../options.js";

const OPTIONAL = { type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined } as const;
const JSON_FLAG = { name: "json", description: "Print JSON" } as const;
const PROGRAMME = { name: "programme", description: "Programme code (e.g. TS-IND-2026) or 0x id" } as const;
const ID_NUMBER = {
  name: "idNumber",
  description:
    "The beneficiary's ID number: turned into the key by the key service (ZHIXIN_KEY_SERVICE_URL), never sent to the chain",
  defaultValue: "",
} as const;
const KEY = {
  name: "key",
  description: "The beneficiary key (0x…), instead of --id-number",
  defaultValue: "",
} as const;
const AMOUNT = { name: "amount", description: "Amount in yuan, e.g. 1,200.00", ...OPTIONAL } as const;

/** `--<name>-file` / `--<name>-hash`: a document anchored by its keccak256 hash. */
function documentOptions<N extends string>(name: N, what: string) {
  return [
    { name: `${name}File` as const, description: `${what}: a file, anchored by its keccak256 hash`, defaultValue: "" },
    { name: `${name}Hash` as const, description: `${what}: its hash, if not given as a file`, defaultValue: "" },
  ] as const;
}
const [DOCUMENT_FILE, DOCUMENT_HASH] = documentOptions("document", "The document");
const [EVIDENCE_FILE, EVIDENCE_HASH] = documentOptions("evidence", "The evidence");
const [REASON_FILE, REASON_HASH] = documentOptions("reason", "The decision giving the reason");
const [RECEIPT_FILE, RECEIPT_HASH] = documentOptions("receipt", "The usage receipt (invoice, delivery note)");

/** The village's payment-notice file: receipt codes for the households (never on chain). */
const NOTICES = {
  name: "notices",
  description: "Payment-notice file (CSV) the household's receipt code is added to; only its hash goes on chain",
  defaultValue: "relief-notices.csv",
} as const;

export const reliefTasks = [
  emptyTask(
    "relief",
    "Poverty-relief funds: programmes, allocation, beneficiaries, projects, disbursement, audit",
  ).build(),
  emptyTask(["relief", "programme"], "Fund programmes (finance)").build(),
  emptyTask(["relief", "beneficiary"], "Beneficiary keys and eligibility attestations").build(),
  emptyTask(["relief", "project"], "Relief projects with milestones").build(),
  emptyTask(["relief", "disburse"], "Disbursements: proposed by a holder, approved by another organisation").build(),
  emptyTask(["relief", "audit"], "Audit findings").build(),
  emptyTask(["relief", "check"], "Checks for auditors").build(),

  task(["relief", "programme", "create"], "Finance creates a programme and holds its budget")
    .addPositionalArgument({ name: "code", description: "Public programme code, e.g. TS-IND-2026" })
    .addOption({
      name: "category",
      description: "industry, education, housing, medical, employment, infrastructure or other",
      ...OPTIONAL,
    })
    .addOption({ name: "year", description: "Fiscal year, e.g. 2026", ...OPTIONAL })
    .addOption({ name: "budget", description: "Appropriated budget in yuan", ...OPTIONAL })
    .addOption({
      name: "periods",
      description: "Payment periods (12 = monthly); one payment per beneficiary each",
      defaultValue: "1",
    })
    .addOption({ name: "cap", description: "Most one beneficiary may be paid per period, in yuan", ...OPTIONAL })
    .addOption({
      name: "requires",
      description: "Attestations a beneficiary needs, comma-separated (see `relief beneficiary kinds`)",
      defaultValue: "",
    })
    .addOption({ name: "approver", description: "Role that approves disbursements", defaultValue: "RURAL_AFFAIRS" })
    .addOption({
      name: "name",
      description: "Public name shown instead of the code, e.g. 台山市2026年产业帮扶资金 (1 to 96 bytes)",
      defaultValue: "",
    })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./programme-create.js"))
    .build(),
  task(["relief", "programme", "appropriate"], "Finance raises a programme's budget by a further appropriation")
    .addPositionalArgument({ name: "code", description: "Programme code or 0x id" })
    .addOption(AMOUNT)
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./programme-appropriate.js"))
    .build(),
  task(["relief", "programme", "show"], "Show a programme and its counters")
    .addPositionalArgument({ name: "code", description: "Programme code or 0x id" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./programme-show.js"))
    .build(),

  task(["relief", "allocate"], "Pass programme money down to an organisation (--to) or into a project (--project)")
    .addPositionalArgument(PROGRAMME)
    .addOption({ name: "to", description: "Receiving organisation (account, credit code or name)", defaultValue: "" })
    .addOption({ name: "project", description: "Receiving project (code or 0x id)", defaultValue: "" })
    .addOption(AMOUNT)
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./allocate.js"))
    .build(),
  emptyTask(["relief", "parent"], "The allocation tree: who holds programme money above whom").build(),
  task(["relief", "parent", "accept"], "A holder accepts the organisation that will allocate to it (--parent)")
    .addPositionalArgument(PROGRAMME)
    .addOption({ name: "parent", description: "The holder above (account, credit code or name)", defaultValue: "" })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./parent-accept.js"))
    .build(),
  task(["relief", "parent", "set"], "The programme's finance re-attaches a holder (--holder) under another (--parent)")
    .addPositionalArgument(PROGRAMME)
    .addOption({
      name: "holder",
      description: "The holder to re-attach (account, credit code or name)",
      defaultValue: "",
    })
    .addOption({ name: "parent", description: "The new holder above it", defaultValue: "" })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./parent-set.js"))
    .build(),
  task(["relief", "return"], "Return unused programme money to the holder above")
    .addPositionalArgument(PROGRAMME)
    .addOption(AMOUNT)
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./return.js"))
    .build(),

  task(["relief", "beneficiary", "register"], "A village registers a beneficiary's key and household-record hash")
    .addOption(ID_NUMBER)
    .addOption({
      name: "household",
      description: "Household record reference (e.g. 建档立卡 household number)",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./beneficiary-register.js"))
    .build(),
  task(
    ["relief", "beneficiary", "move"],
    "Rural affairs moves a beneficiary to its village (--to), or deregisters it (--deregister)",
  )
    .addOption(ID_NUMBER)
    .addOption(KEY)
    .addOption({
      name: "to",
      description: "The village to move it to (account, credit code or name)",
      defaultValue: "",
    })
    .addFlag({ name: "deregister", description: "Deregister it instead (its attestations are dropped)" })
    .addOption(REASON_FILE)
    .addOption(REASON_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./beneficiary-move.js"))
    .build(),
  task(["relief", "beneficiary", "attest"], "A department attests an eligibility fact")
    .addOption(ID_NUMBER)
    .addOption(KEY)
    .addOption({ name: "kind", description: "Attestation kind (see `relief beneficiary kinds`)", ...OPTIONAL })
    .addOption(EVIDENCE_FILE)
    .addOption(EVIDENCE_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./beneficiary-attest.js"))
    .build(),
  task(["relief", "beneficiary", "revoke"], "A department revokes an eligibility fact")
    .addOption(ID_NUMBER)
    .addOption(KEY)
    .addOption({ name: "kind", description: "Attestation kind", ...OPTIONAL })
    .addOption(REASON_FILE)
    .addOption(REASON_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./beneficiary-revoke.js"))
    .build(),
  task(["relief", "beneficiary", "show"], "Show a beneficiary's village and attestations")
    .addOption(ID_NUMBER)
    .addOption(KEY)
    .addOption({ ...FROM_OPTION, description: "The organisation asking the key service for the key of --id-number" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./beneficiary-show.js"))
    .build(),
  task(
    ["relief", "beneficiary", "key"],
    "Print the key of an ID number (from the key service; nothing sent to the chain)",
  )
    .addOption(ID_NUMBER)
    .addOption({ ...FROM_OPTION, description: "The organisation asking the key service" })
    .setAction(() => import("./beneficiary-key.js"))
    .build(),
  task(["relief", "beneficiary", "kinds"], "The attestation kinds and the department that attests each")
    .setAction(() => import("./beneficiary-kinds.js"))
    .build(),
  task(
    ["relief", "beneficiary", "import"],
    "Register (village) or attest (department, --attest) every beneficiary of a CSV/XLSX file; safe to re-run",
  )
    .addPositionalArgument({ name: "file", description: "CSV (UTF-8) or XLSX file with a 身份证号/idNumber column" })
    .addOption({
      name: "attest",
      description: "Attest this kind for every row instead of registering",
      defaultValue: "",
    })
    .addOption({ name: "sheet", description: "Worksheet to read (its name), or all", defaultValue: "" })
    .addFlag({ name: "dryRun", description: "Check every row against the file and the chain; send nothing" })
    .addFlag({ name: "skipRefused", description: "Send the valid rows even when some are refused" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./import.js"))
    .build(),

  task(["relief", "project", "create"], "A holder creates a relief project it will fund")
    .addPositionalArgument({ name: "code", description: "Public project code, e.g. TS-DS-GREENHOUSE" })
    .addOption({ name: "programme", description: "Programme code or 0x id", ...OPTIONAL })
    .addOption({ name: "implementer", description: "Implementing organisation (village, cooperative…)", ...OPTIONAL })
    .addOption({ name: "budget", description: "Budget in yuan", ...OPTIONAL })
    .addOption({ name: "milestones", description: "Number of milestones (1–32)", ...OPTIONAL })
    .addOption({
      name: "name",
      description: "Public name shown instead of the code, e.g. 斗山镇浮石村蔬菜大棚项目 (1 to 96 bytes)",
      defaultValue: "",
    })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-create.js"))
    .build(),
  task(["relief", "project", "milestone"], "The implementer submits a milestone's evidence")
    .addPositionalArgument({ name: "code", description: "Project code or 0x id" })
    .addOption({ name: "index", description: "Milestone number, from 1", ...OPTIONAL })
    .addOption(EVIDENCE_FILE)
    .addOption(EVIDENCE_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-milestone.js"))
    .build(),
  task(["relief", "project", "accept"], "An inspector or rural affairs accepts a finished project")
    .addPositionalArgument({ name: "code", description: "Project code or 0x id" })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./project-accept.js"))
    .build(),
  task(["relief", "project", "show"], "Show a project")
    .addPositionalArgument({ name: "code", description: "Project code or 0x id" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./project-show.js"))
    .build(),

  task(["relief", "disburse", "propose"], "Propose paying a beneficiary (or a project milestone with --project)")
    .addPositionalArgument({ ...PROGRAMME, defaultValue: "" })
    .addOption({ name: "period", description: "Payment period, from 1", defaultValue: "1" })
    .addOption(ID_NUMBER)
    .addOption(KEY)
    .addOption({ name: "project", description: "Pay a project milestone instead (project code)", defaultValue: "" })
    .addOption({ name: "milestone", description: "Milestone number, from 1 (with --project)", defaultValue: "" })
    .addOption(AMOUNT)
    .addOption({
      name: "paymentRef",
      description: "Bank payment reference (only a salted commitment is recorded)",
      ...OPTIONAL,
    })
    .addOption({
      name: "paymentSalt",
      description: "32-byte 0x salt of the commitment (default: a new random one, printed to keep)",
      ...OPTIONAL,
    })
    .addOption(NOTICES)
    .addOption(FROM_OPTION)
    .setAction(() => import("./disburse-propose.js"))
    .build(),
  task(["relief", "disburse", "receipt"], "Give a proposed beneficiary payment its receipt code (if it has none)")
    .addPositionalArgument({ name: "id", description: "Disbursement id (0x…)" })
    .addOption({
      name: "beneficiary",
      description: "How the notice names the household (stays in the file)",
      defaultValue: "",
    })
    .addOption(NOTICES)
    .addOption(FROM_OPTION)
    .setAction(() => import("./disburse-receipt.js"))
    .build(),
  task(["relief", "disburse", "approve"], "Approve a proposed disbursement (another organisation than the proposer)")
    .addPositionalArgument({ name: "id", description: "Disbursement id (0x…)" })
    .addOption({ ...AMOUNT, description: "The amount reviewed, in yuan (must be the proposal's)" })
    .addOption({
      name: "paymentRefHash",
      description: "The payment-reference commitment reviewed (0x…, from `disburse show`)",
      ...OPTIONAL,
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./disburse-approve.js"))
    .build(),
  task(["relief", "disburse", "reject"], "Reject (approver) or withdraw (proposer) a proposed disbursement")
    .addPositionalArgument({ name: "id", description: "Disbursement id (0x…)" })
    .addOption(REASON_FILE)
    .addOption(REASON_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./disburse-reject.js"))
    .build(),
  task(["relief", "disburse", "show"], "Show a disbursement")
    .addPositionalArgument({ name: "id", description: "Disbursement id (0x…)" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./disburse-show.js"))
    .build(),
  task(["relief", "usage"], "Record a usage receipt of an approved disbursement")
    .addPositionalArgument({ name: "id", description: "Disbursement id (0x…)" })
    .addOption(RECEIPT_FILE)
    .addOption(RECEIPT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./usage.js"))
    .build(),

  task(["relief", "audit", "finding"], "An auditor records a finding on a record")
    .addOption({
      name: "targetKind",
      description: "programme, allocation, disbursement, beneficiary or project",
      ...OPTIONAL,
    })
    .addOption({
      name: "target",
      description: "Programme/project code, allocation number, disbursement id or beneficiary key",
      defaultValue: "",
    })
    .addOption(ID_NUMBER)
    .addOption({ name: "respondent", description: "Organisation that must answer", ...OPTIONAL })
    .addOption({ name: "severity", description: "low, medium or high", ...OPTIONAL })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./audit-finding.js"))
    .build(),
  task(["relief", "audit", "answer"], "The respondent answers a finding")
    .addPositionalArgument({ name: "finding", description: "Finding number" })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./audit-answer.js"))
    .build(),
  task(["relief", "audit", "close"], "The auditor closes a finding")
    .addPositionalArgument({ name: "finding", description: "Finding number" })
    .addOption(DOCUMENT_FILE)
    .addOption(DOCUMENT_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./audit-close.js"))
    .build(),

  task(["relief", "tree"], "Where a programme's money went: every holder, project and beneficiary count")
    .addPositionalArgument(PROGRAMME)
    .addFlag(JSON_FLAG)
    .setAction(() => import("./tree.js"))
    .build(),
  task(["relief", "report"], "Counters by holder for a programme, or by programme for a holder")
    .addOption({ name: "programme", description: "Programme code or 0x id", defaultValue: "" })
    .addOption({ name: "holder", description: "Organisation (account, credit code or name)", defaultValue: "" })
    .addOption({ name: "format", description: "table, csv or xlsx", defaultValue: "table" })
    .addOption({ name: "out", description: "Output file for csv or xlsx", defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON (amounts in fen as decimal strings)" })
    .setAction(() => import("./report.js"))
    .build(),
  task(["relief", "check", "duplicates"], "Beneficiary keys paid under several programmes in the same fiscal year")
    .addOption({ name: "year", description: "Only this fiscal year", defaultValue: "" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./check-duplicates.js"))
    .build(),
];
