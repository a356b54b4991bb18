/** The trace ledger's refusals, one sentence per custom error of `ITraceLedger.sol`. */
import type { Refusals } from "../errors.js";
import { lacksRole, nameAt, relayedCall } from "../refusal-words.js";
import { roleLabel } from "../roles.js";
import { decodeCode, formatQuantity, unitCode } from "./vocabulary.js";

const CERT_RESULT = ["not inspected", "passed", "failed"];
const CATEGORY_NAME = ["agricultural", "food", "drug", "agricultural input", "special equipment"];
const BATCH_STATUS = ["unknown", "active", "in transit", "consumed", "sold at retail", "destroyed"];
const codeText = (v: unknown) => decodeCode(String(v));
const quantityText = (v: unknown) => (typeof v === "bigint" ? formatQuantity(v) : String(v));

export const TRACE_REFUSALS: Refusals = {
  TraceLedgerRelayedCall: relayedCall,
  TraceLedgerRecalled: (a) =>
    `batch ${a.batchId} is recalled (it, or a batch it was made from): it cannot move or be sold`,
  TraceLedgerNotCustodian: (a) => `${a.caller} does not hold batch ${a.batchId}; its custodian is ${a.custodian}`,
  TraceLedgerNotReceiver: (a) => `batch ${a.batchId} was shipped to ${a.receiver}, not to ${a.caller}`,
  TraceLedgerWrongStatus: (a) => `batch ${a.batchId} is ${nameAt(BATCH_STATUS, a.status)}, which does not allow this`,
  TraceLedgerUnknownBatch: (a) => `no batch ${a.batchId} on this chain`,
  TraceLedgerBatchExists: (a) => `batch ${a.batchId} exists already (same product and lot code)`,
  TraceLedgerUnknownProduct: (a) => `no product ${codeText(a.productCode)} on this chain`,
  TraceLedgerProductExists: (a) => `product ${codeText(a.productCode)} is registered already`,
  TraceLedgerNotProductProducer: (a) =>
    `product ${codeText(a.productCode)} belongs to ${a.producer}; ${a.caller} cannot commission it`,
  TraceLedgerNotSupplyChainOrg: (a) =>
    `${a.account} is not an active producer, logistics company or retailer, so it cannot receive goods`,
  TraceLedgerQuantityMismatch: (a) =>
    `quantities do not add up: inputs ${quantityText(a.inputs)}, outputs ${quantityText(a.outputs)}`,
  TraceLedgerNotInspected: (a) => `batch ${a.batchId} needs a valid passing inspection certificate before sale`,
  TraceLedgerInspectionFailed: (a) => `batch ${a.batchId} failed inspection: it cannot be sold`,
  TraceLedgerCertificateExpired: (a) => `the certificate of batch ${a.batchId} expired: it cannot be sold`,
  TraceLedgerGiCeilingExceeded: (a) =>
    `GI certificate ${a.certificateId} allows ${quantityText(a.ceiling)}; this would label ${quantityText(a.labelled)}`,
  TraceLedgerEventInFuture: (a) =>
    `the event time ${a.eventTime} is more than 15 minutes ahead of the chain (${a.blockTime})`,
  TraceLedgerNotInRecall: (a) => `batch ${a.batchId} is not the recalled batch nor made from it (recall ${a.recallId})`,
  TraceLedgerAlreadyAcknowledged: (a) => `batch ${a.batchId} has acknowledged recall ${a.recallId} already`,
  TraceLedgerFailedInspectionStands: (a) =>
    `batch ${a.batchId} failed inspection: ${a.inspector} cannot pass it until the market regulator allows a re-inspection`,
  TraceLedgerNotFailed: (a) =>
    `batch ${a.batchId} did not fail inspection (its result is ${nameAt(CERT_RESULT, a.cert)}): there is nothing to re-inspect`,
  TraceLedgerNotSubLot: (a) =>
    `lot ${codeText(a.lotCode)} is not a sub-lot of batch ${a.parentBatchId}: anyone but the product's producer names derived batches <lot>.<suffix> after the batch they come from`,
  TraceLedgerSubLotReserved: (a) =>
    `lot ${codeText(a.lotCode)} of ${codeText(a.productCode)} is a sub-lot of batch ${a.ownerBatchId}: only batches made from that batch take it`,
  TraceLedgerNothingToCorrect: (a) =>
    `product ${codeText(a.productCode)} already has category ${nameAt(CATEGORY_NAME, a.category)} and producer ${a.producer}`,
  TraceLedgerUnauthorized: (a) => lacksRole(a, roleLabel),
  TraceLedgerUnknownProductSeq: (a) => `no product number ${a.seq} on this chain`,
  TraceLedgerNotProducer: (a) => `${a.account} is not an active producer`,
  TraceLedgerInvalidCode: (a) =>
    `the code ${codeText(a.code)} is not valid: product and lot codes are printable ASCII without spaces`,
  TraceLedgerZeroQuantity: () => "the quantity must be more than zero",
  TraceLedgerInvalidUnit: (a) => `${unitCode(String(a.uom))} is not a unit the ledger knows`,
  TraceLedgerSelfShipment: (a) => `batch ${a.batchId} cannot be shipped to its own custodian`,
  TraceLedgerNotObservationStep: (a) =>
    `business step ${a.bizStep} is not an observation (inspecting, storing, …): it cannot be recorded on its own`,
  TraceLedgerUnitMismatch: (a) =>
    `batch ${a.batchId} is counted in ${unitCode(String(a.uom))}, not ${unitCode(String(a.expected))} like the others`,
  TraceLedgerProductMismatch: (a) => `batch ${a.batchId} is of another product than the others`,
  TraceLedgerBadCount: (a) => `${a.count} given, where this takes ${a.min} to ${a.max}`,
  TraceLedgerLineageTooLarge: (a) =>
    `the batch would descend through ${a.lineage} generations, more than the ${a.max} a recall follows`,
  TraceLedgerZeroRatio: () => "a transformation's ratio must be more than zero",
  TraceLedgerInvalidValidity: (a) => `a passing certificate must be valid beyond now, not until ${a.validUntil}`,
  TraceLedgerUnknownGiCertificate: (a) => `no GI certificate ${a.certificateId} on this chain`,
  TraceLedgerGiCertificateMismatch: (a) => `GI certificate ${a.certificateId} is for another product`,
  TraceLedgerGiCertificateExpired: (a) => `GI certificate ${a.certificateId} expired (valid until ${a.validUntil})`,
  TraceLedgerNotGiProduct: (a) => `product ${codeText(a.productCode)} is not a geographical-indication product`,
  TraceLedgerAlreadyRecalled: (a) => `batch ${a.batchId} is recalled already`,
  TraceLedgerUnknownRecall: (a) => `no recall ${a.recallId} on this chain`,
  TraceLedgerInvalidAction: () => "a recall names its action: hold, return or destroy",
  TraceLedgerQuantityTooLarge: (a) =>
    `${quantityText(a.quantity)} is more than the ${quantityText(a.available)} there is`,
  TraceLedgerZeroHash: () => "a document hash is required here",
  TraceLedgerNoOrigin: () => "a commissioning needs an origin location (GLN)",
  TraceLedgerEventRecorded: (a) =>
    `${a.org} has recorded event ${a.eventId} already: an organisation records an event once`,
  TraceLedgerUnknownEvent: (a) =>
    `${a.org} has recorded no event ${a.eventId}: an organisation declares in error only events it recorded`,
  TraceLedgerEventAlreadyCorrected: (a) => `event ${a.eventId} was already declared in error`,
  TraceLedgerEventOutOfOrder: (a) =>
    `the event time ${a.eventTime} is before batch ${a.batchId}'s last event (${a.lastEventTime}) by more than the 15 minutes allowed for clock skew`,
  TraceLedgerReceiptMismatch: (a) =>
    `batch ${a.batchId} was shipped as ${quantityText(a.shipped)}; a receipt of ${quantityText(a.received)} does not match: receive what was shipped, or refuse the shipment`,
  TraceLedgerPartialShipment: (a) =>
    `batch ${a.batchId} holds ${quantityText(a.held)}: a shipment of ${quantityText(a.quantity)} is a part, shipped under its own lot (ship part)`,
  TraceLedgerConversionExists: (a) =>
    `product ${codeText(a.productCode)} declares its conversion between ${unitCode(String(a.from))} and ${unitCode(String(a.to))} already (${String(a.ppm)} millionths): declarations are never changed`,
  TraceLedgerGiMassNotBacked: (a) =>
    `GI certificate ${a.certificateId}: the output (${quantityText(a.output)} in the input's unit) is more than the GI-labelled input (${quantityText(a.giInput)}); the GI label needs certified GI input`,
  TraceLedgerGiNeedsInput: (a) =>
    `product ${codeText(a.productCode)} is not a harvest: processed GI goods take the GI label only from certified GI input, by a transformation`,
  TraceLedgerGiOutOfSeason: (a) =>
    `GI certificate ${a.certificateId} covers harvests from ${a.from} to ${a.until}, not one dated ${a.eventTime}`,
};
