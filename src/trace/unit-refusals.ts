/** Sentences for the custom errors of `ITraceUnits.sol` (serialised items and SSCC containers). */
import type { Refusals } from "../errors.js";
import { lacksRole, nameAt, relayedCall } from "../refusal-words.js";
import { roleLabel } from "../roles.js";
import { decodeCode } from "./vocabulary.js";

const UNIT_STATUS = ["unknown", "active", "in transit"];
const codeText = (v: unknown) => decodeCode(String(v));

export const TRACE_UNIT_REFUSALS: Refusals = {
  TraceUnitsRelayedCall: relayedCall,
  TraceUnitsUnauthorized: (a) => lacksRole(a, roleLabel),
  TraceUnitsNotProductProducer: (a) =>
    `serial numbers of product ${codeText(a.productCode)} are its producer's (${a.producer}) to commission, not ${a.caller}'s`,
  TraceUnitsNotBatchCustodian: (a) => `${a.caller} does not hold batch ${a.batchId}; its custodian is ${a.custodian}`,
  TraceUnitsBatchNotActive: (a) =>
    `batch ${a.batchId} is not active at its custodian (in transit, consumed, sold or destroyed)`,
  TraceUnitsInvalidSerial: (a) =>
    `the serial number ${codeText(a.serial)} is not valid: 1 to 20 printable ASCII characters without spaces (GS1 AI 21)`,
  TraceUnitsInvalidSscc: (a) => `${a.sscc} is not an SSCC: 18 digits ending with the GS1 check digit`,
  TraceUnitsUnitExists: (a) => `item ${a.unitId} is commissioned already (same product and serial number)`,
  TraceUnitsUnknownUnit: (a) => `no serialised item or container ${a.unitId} on this chain`,
  TraceUnitsNotContainer: (a) => `${a.unitId} is a serialised item, not a container`,
  TraceUnitsNotHolder: (a) => `${a.caller} does not hold ${a.unitId}; it is held by ${a.holder}`,
  TraceUnitsWrongStatus: (a) =>
    `${a.unitId} (or the container it travels in) is ${nameAt(UNIT_STATUS, a.status)}, which does not allow this`,
  TraceUnitsAlreadyPacked: (a) =>
    `${a.unitId} is packed in container ${a.containerId}: it moves with that container until it is unpacked`,
  TraceUnitsBatchAlreadyPacked: (a) => `batch ${a.batchId} is listed in container ${a.containerId} already`,
  TraceUnitsNotInContainer: (a) => `${a.id} is not in container ${a.containerId}`,
  TraceUnitsNestingTooDeep: (a) =>
    `${a.child} cannot go into ${a.containerId}: containers nest two levels at most (cases on a pallet), never into themselves`,
  TraceUnitsBadCount: (a) => `${a.count} given, where this takes ${a.min} to ${a.max}`,
  TraceUnitsSelfShipment: (a) => `${a.unitId} cannot be shipped to its own holder`,
  TraceUnitsNotReceiver: (a) => `${a.unitId} was shipped to ${a.receiver}, not to ${a.caller}`,
  TraceUnitsNotSupplyChainOrg: (a) => `${a.account} is not an active producer, logistics company or retailer`,
  TraceUnitsEventInFuture: (a) =>
    `the event time ${a.eventTime} is more than 15 minutes ahead of the chain (${a.blockTime})`,
  TraceUnitsNotObservationStep: (a) =>
    `business step ${a.bizStep} is not an observation (inspecting, storing, …): it cannot be recorded on its own`,
  TraceUnitsEventRecorded: (a) => `${a.recorder} has recorded EPCIS event ${a.eventId} already`,
  TraceUnitsUnknownEvent: (a) =>
    `${a.recorder} has recorded no event ${a.eventId}: an organisation declares in error only events it recorded`,
  TraceUnitsEventAlreadyCorrected: (a) => `${a.recorder} has declared event ${a.eventId} in error already`,
  TraceUnitsZeroHash: () => "an event id, an identifier or a transaction hash is required here, not zero",
};
