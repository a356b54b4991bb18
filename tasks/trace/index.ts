import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

import { FROM_OPTION } from "../options.js";

const BATCH = {
  name: "batch",
  description: "Batch as PRODUCT/LOT (e.g. 06901234567892/XH-2026-001) or 0x batch id",
} as const;
const OPTIONAL = { type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined } as const;
const LOCATION = {
  name: "location",
  description: "GLN-13 of where it happened (default: none)",
  defaultValue: "",
} as const;
const TIME = {
  name: "time",
  description: "When it happened, ISO 8601 (e.g. 2026-11-20T08:30:00+08:00); default: now",
  defaultValue: "",
} as const;
const EVIDENCE_FILE = {
  name: "evidenceFile",
  description: "Event document (e.g. the EPCIS event, a delivery note) to anchor by its keccak256 hash",
  defaultValue: "",
} as const;
const EVIDENCE_HASH = {
  name: "evidenceHash",
  description: "Hash of the event document, if not given as a file",
  defaultValue: "",
} as const;
const JSON_FLAG = { name: "json", description: "Print JSON" } as const;
const QUANTITY = {
  name: "quantity",
  description:
    "The quantity the event moves, sells, destroys or observes (decimal, e.g. 200); default: the whole batch",
  defaultValue: "",
} as const;
const UNIT = {
  name: "unit",
  description: "The unit of --quantity (KGM, LTR, H87, XBX or kg, box…); default: the batch's",
  defaultValue: "",
} as const;
const EVENT_ID = {
  name: "eventId",
  description: "The EPCIS eventID (the chain records an id once); default: none",
  defaultValue: "",
} as const;

/** The options of a step's context, and the acting account: where, when, on which evidence, by whom. */
function withContext<A extends TaskArguments>(t: NewTaskDefinitionBuilder<A>) {
  return t
    .addOption(LOCATION)
    .addOption(TIME)
    .addOption(EVIDENCE_FILE)
    .addOption(EVIDENCE_HASH)
    .addOption(FROM_OPTION)
    .addOption(EVENT_ID);
}

/** A custody or disposition event's context, with the quantity it moves, sells, destroys or observes. */
function withQuantity<A extends TaskArguments>(t: NewTaskDefinitionBuilder<A>) {
  return withContext(t.addOption(QUANTITY).addOption(UNIT));
}

export const traceTasks = [
  emptyTask(
    "trace",
    "Product traceability: products, batches, custody, split/merge, certificates, recall, QR, EPCIS",
  ).build(),
  emptyTask(["trace", "product"], "Products (GTIN-like codes)").build(),
  emptyTask(["trace", "batch"], "Batches: commission, show, history").build(),
  emptyTask(["trace", "gi"], "Geographic-indication certificates with a quantity ceiling").build(),
  emptyTask(["trace", "epcis"], "GS1 EPCIS 2.0 JSON-LD import and export").build(),

  task(["trace", "product", "register"], "Register a product (a producer its own; the market regulator any producer's)")
    .addPositionalArgument({ name: "code", description: "Product code: a GTIN (checked) or another ASCII code" })
    .addOption({
      name: "category",
      description: "agricultural, food, drug, agricultural_input or special_equipment",
      ...OPTIONAL,
    })
    .addOption({
      name: "producer",
      description: "The producer (account, credit code or name); default: --from",
      defaultValue: "",
    })
    .addFlag({ name: "gi", description: "A geographic-indication product (地理标志产品)" })
    .addOption({
      name: "metadataFile",
      description: "Product description document to anchor by its hash",
      defaultValue: "",
    })
    .addOption({
      name: "name",
      description:
        "Public product name, e.g. 新会陈皮 (1 to 96 bytes); only when the producer registers its own product (otherwise the producer runs `trace product name`)",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./product-register.js"))
    .build(),
  task(["trace", "product", "name"], "The producer names its product (the name every batch page shows)")
    .addPositionalArgument({ name: "code", description: "Product code: a GTIN (checked) or another ASCII code" })
    .addOption({ name: "name", description: "Public product name, e.g. 新会陈皮 (1 to 96 bytes)", ...OPTIONAL })
    .addOption(FROM_OPTION)
    .setAction(() => import("./product-name.js"))
    .build(),
  emptyTask(["trace", "location"], "Locations: an organisation's public names for its places (GLN → 名称)").build(),
  task(
    ["trace", "location", "name"],
    "An organisation names one of its locations (GLN-13 → 名称, shown on batch pages)",
  )
    .addPositionalArgument({ name: "gln", description: "The location's GLN-13 (13 digits with check digit)" })
    .addOption({
      name: "name",
      description: "Public name of the place, e.g. 江门冷链物流中心仓库 (1 to 96 bytes)",
      ...OPTIONAL,
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./location-name.js"))
    .build(),
  task(["trace", "product", "correct"], "The market regulator corrects a product's category or producer")
    .addPositionalArgument({ name: "code", description: "Product code" })
    .addOption({
      name: "category",
      description: "agricultural, food, drug, agricultural_input or special_equipment (default: unchanged)",
      defaultValue: "",
    })
    .addOption({
      name: "producer",
      description: "The product's rightful producer (account, credit code or name; default: unchanged)",
      defaultValue: "",
    })
    .addOption({ name: "reasonFile", description: "The correction decision to anchor by its hash", defaultValue: "" })
    .addOption({ name: "reasonHash", description: "Hash of the correction decision", defaultValue: "" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./product-correct.js"))
    .build(),
  task(["trace", "product", "show"], "Show a product")
    .addPositionalArgument({ name: "code", description: "Product code" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./product-show.js"))
    .build(),

  task(["trace", "gi", "issue"], "The market regulator issues a GI certificate to a producer, with a quantity ceiling")
    .addOption({ name: "producer", description: "The producer (account, credit code or name)", ...OPTIONAL })
    .addOption({ name: "product", description: "The GI product's code", ...OPTIONAL })
    .addOption({ name: "ceiling", description: "Certified quantity, e.g. 500 (in --unit)", ...OPTIONAL })
    .addOption({ name: "unit", description: "Unit: kg, g, t, l, piece, box or a UN/CEFACT code", defaultValue: "kg" })
    .addOption({ name: "validUntil", description: "Last day of validity, e.g. 2027-12-31", ...OPTIONAL })
    .addOption({
      name: "documentFile",
      description: "The certificate document to anchor by its hash",
      defaultValue: "",
    })
    .addOption({ name: "documentHash", description: "Hash of the certificate document", defaultValue: "" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./gi-issue.js"))
    .build(),
  task(["trace", "gi", "show"], "Show a GI certificate and how much of its ceiling is labelled")
    .addPositionalArgument({ name: "certificate", description: "Certificate number" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./gi-show.js"))
    .build(),

  withContext(
    task(["trace", "batch", "commission"], "A producer commissions a batch of its product at its origin")
      .addPositionalArgument({ name: "product", description: "Product code" })
      .addPositionalArgument({ name: "lot", description: "Lot code (batch number), ASCII" })
      .addOption({ name: "quantity", description: "Quantity, up to three decimals", ...OPTIONAL })
      .addOption({ name: "unit", description: "Unit: kg, g, t, l, piece, box or a UN/CEFACT code", defaultValue: "kg" })
      .addOption({ name: "giCertificate", description: "Label under this GI certificate number", defaultValue: "0" }),
  )
    .setAction(() => import("./batch-commission.js"))
    .build(),
  task(["trace", "batches"], "List every batch: product, lot, origin, quantity, status and custodian")
    .addOption({ name: "product", description: "Only batches of this product code", defaultValue: "" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./batches.js"))
    .build(),
  task(["trace", "batch", "show"], "Show a batch: product, quantity, custodian, status, certificate, recall")
    .addPositionalArgument(BATCH)
    .addFlag(JSON_FLAG)
    .setAction(() => import("./batch-show.js"))
    .build(),
  task(["trace", "batch", "history"], "The batch's full history back to its origins (same as trace history)")
    .addPositionalArgument(BATCH)
    .addFlag(JSON_FLAG)
    .setAction(() => import("./history.js"))
    .build(),
  task(["trace", "history"], "The batch's full history back to its origins, across merges and splits")
    .addPositionalArgument(BATCH)
    .addFlag(JSON_FLAG)
    .setAction(() => import("./history.js"))
    .build(),

  withQuantity(
    task(["trace", "event"], "The custodian records an observation (inspecting, packing, storing, ...)")
      .addPositionalArgument(BATCH)
      .addPositionalArgument({ name: "step", description: "CBV business step, e.g. storing, packing, inspecting" }),
  )
    .setAction(() => import("./event.js"))
    .build(),
  withQuantity(
    task(["trace", "ship"], "The custodian ships a batch; custody passes when the receiver accepts")
      .addPositionalArgument(BATCH)
      .addOption({ name: "to", description: "Receiver (account, credit code or name)", ...OPTIONAL })
      .addOption({
        name: "partLot",
        description:
          "Ship --quantity of the batch as a new lot with this code (a sub-lot <lot>.<suffix> unless you make the product); the batch keeps the rest",
        defaultValue: "",
      }),
  )
    .setAction(() => import("./ship.js"))
    .build(),
  withQuantity(
    task(["trace", "accept"], "The receiver accepts a shipment: custody passes to it").addPositionalArgument(BATCH),
  )
    .setAction(() => import("./accept.js"))
    .build(),
  task(["trace", "cancel"], "The sender cancels, or the receiver refuses, a pending shipment")
    .addPositionalArgument(BATCH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./cancel.js"))
    .build(),
  withContext(
    task(["trace", "split"], "Split a batch into batches of the same product and unit (quantity conserved)")
      .addPositionalArgument(BATCH)
      .addOption({ name: "parts", description: "LOT=QUANTITY,... e.g. XH-B001=0.5,XH-B002=0.5", defaultValue: "" })
      .addOption({ name: "count", description: "Or: this many equal parts ...", defaultValue: "" })
      .addOption({ name: "lotPrefix", description: "... with lot codes PREFIX001, PREFIX002, ...", defaultValue: "" }),
  )
    .setAction(() => import("./split.js"))
    .build(),
  withContext(
    task(["trace", "merge"], "Merge batches of one product and unit into a new lot (quantity conserved)")
      .addPositionalArgument({ name: "lot", description: "The new lot code" })
      .addOption({ name: "inputs", description: "Comma-separated batches (PRODUCT/LOT or 0x ids)", ...OPTIONAL }),
  )
    .setAction(() => import("./merge.js"))
    .build(),
  withContext(
    task(["trace", "transform"], "A producer transforms batches into a new product with a declared conversion")
      .addOption({ name: "inputs", description: "Comma-separated input batches", ...OPTIONAL })
      .addOption({ name: "product", description: "Output product code", ...OPTIONAL })
      .addOption({ name: "lot", description: "Output lot code", ...OPTIONAL })
      .addOption({ name: "unit", description: "Output unit (default: the inputs')", defaultValue: "" })
      .addOption({
        name: "ratio",
        description: "Output quantity per input quantity, e.g. 0.25 for fresh peel to dried (default 1)",
        defaultValue: "1",
      })
      .addOption({
        name: "giCertificate",
        description: "Label the output under this GI certificate",
        defaultValue: "0",
      }),
  )
    .setAction(() => import("./transform.js"))
    .build(),
  withQuantity(
    task(["trace", "sell"], "A retailer sells a batch at retail (certificate rules apply)").addPositionalArgument(
      BATCH,
    ),
  )
    .setAction(() => import("./sell.js"))
    .build(),
  withQuantity(task(["trace", "destroy"], "The custodian destroys a batch").addPositionalArgument(BATCH))
    .setAction(() => import("./destroy.js"))
    .build(),

  task(["trace", "certify"], "An accredited lab records an inspection result on a batch")
    .addPositionalArgument(BATCH)
    .addFlag({ name: "fail", description: "The batch failed (default: passed)" })
    .addOption({ name: "validUntil", description: "Last day a pass is valid, e.g. 2027-06-30", defaultValue: "" })
    .addOption({ name: "reportFile", description: "The inspection report to anchor by its hash", defaultValue: "" })
    .addOption({ name: "reportHash", description: "Hash of the inspection report", defaultValue: "" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./certify.js"))
    .build(),
  task(["trace", "conversion"], "A product's producer declares a unit conversion (immutable), e.g. 1 box = 0.25 kg")
    .addPositionalArgument({ name: "product", description: "Product code" })
    .addOption({ name: "fromUnit", description: "The unit converted (e.g. XBX or box)", ...OPTIONAL })
    .addOption({ name: "toUnit", description: "The unit it is expressed in (e.g. KGM or kg)", ...OPTIONAL })
    .addOption({ name: "factor", description: "How many --to-unit one --from-unit is (e.g. 0.25)", ...OPTIONAL })
    .addOption(FROM_OPTION)
    .setAction(() => import("./conversion.js"))
    .build(),
  task(["trace", "correct"], "The recorder of an event declares it in error (EPCIS errorDeclaration)")
    .addPositionalArgument({ name: "eventId", description: "The event's id (its EPCIS eventID or 0x id)" })
    .addOption({ name: "reason", description: "did_not_occur or incorrect_data", defaultValue: "" })
    .addOption({
      name: "corrective",
      description: "Ids of the recorded events that correct it, comma-separated",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./correct.js"))
    .build(),
  task(["trace", "reinspect"], "The market regulator reopens a failed batch to inspection (the fail stays on record)")
    .addPositionalArgument(BATCH)
    .addOption({
      name: "decisionFile",
      description: "The re-inspection decision to anchor by its hash",
      defaultValue: "",
    })
    .addOption({ name: "decisionHash", description: "Hash of the re-inspection decision", defaultValue: "" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./reinspect.js"))
    .build(),
  task(["trace", "recall"], "The market regulator recalls a batch and everything made from it")
    .addPositionalArgument(BATCH)
    .addOption({ name: "reasonFile", description: "The recall notice to anchor by its hash", defaultValue: "" })
    .addOption({ name: "reasonHash", description: "Hash of the recall notice", defaultValue: "" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./recall.js"))
    .build(),
  task(["trace", "acknowledge"], "A holder reports what it did with a recalled batch (hold, return, destroy)")
    .addPositionalArgument({ name: "recall", description: "Recall number" })
    .addPositionalArgument(BATCH)
    .addOption({ name: "action", description: "hold, return or destroy", defaultValue: "hold" })
    .addOption({ name: "quantity", description: "Quantity accounted for (default: the whole batch)", defaultValue: "" })
    .addOption(EVIDENCE_FILE)
    .addOption(EVIDENCE_HASH)
    .addOption(FROM_OPTION)
    .setAction(() => import("./acknowledge.js"))
    .build(),
  task(["trace", "recall-status"], "A recall's reach and effectiveness (quantity accounted for / affected)")
    .addPositionalArgument({ name: "recall", description: "Recall number" })
    .addFlag(JSON_FLAG)
    .setAction(() => import("./recall-status.js"))
    .build(),

  task(["trace", "qr"], "Write PNG and SVG QR codes linking to the batch's explorer page")
    .addPositionalArgument(BATCH)
    .addOption({ name: "out", description: "Folder to write into", defaultValue: "qr" })
    .addOption({
      name: "baseUrl",
      description: "Public explorer URL (default: ZHIXIN_PUBLIC_URL; required)",
      defaultValue: "",
    })
    .setAction(() => import("./qr.js"))
    .build(),
  task(
    ["trace", "epcis", "import"],
    "Record the events of an EPCIS 2.0 JSON(-LD) document (Object, Aggregation, Transformation)",
  )
    .addPositionalArgument({ name: "file", description: "EPCISDocument or single event, JSON or JSON-LD" })
    .addFlag({ name: "dryRun", description: "Only show the ledger actions and warnings; send nothing" })
    .addOption({
      name: "from",
      description: "Accounts whose keys may sign, comma-separated (default: every account of the network)",
      defaultValue: "",
    })
    .addOption({ name: "parties", description: "Party directory: JSON { GLN-13: account }", defaultValue: "" })
    .addOption({
      name: "parts",
      description: "Folder for the parts other organisations sign",
      defaultValue: "epcis-parts",
    })
    .addOption({
      name: "journal",
      description: "Append each event's outcome (JSON lines) to this file",
      defaultValue: "",
    })
    .setAction(() => import("./epcis-import.js"))
    .build(),
  task(["trace", "epcis", "export"], "Write a batch's history back to its origins as an EPCIS 2.0 document")
    .addPositionalArgument(BATCH)
    .addOption({ name: "out", description: "File to write (default: standard output)", defaultValue: "" })
    .addFlag({ name: "digitalLink", description: "GS1 Digital Link identifiers instead of EPC URNs" })
    .addOption({
      name: "parties",
      description: "Party directory: JSON { GLN-13: account } (parties as PGLN)",
      defaultValue: "",
    })
    .setAction(() => import("./epcis-export.js"))
    .build(),
];
