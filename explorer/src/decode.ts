/**
 * How decoded call and event arguments are shown: amounts of money of the charity and relief
 * ledgers in yuan, trace quantities in units, ASCII codes (product, lot, unit) as text.
 */

/** Argument names that are amounts of money (fen) in the charity and relief ledgers. */
const MONEY_ARGS = new Set([
  "amount",
  "amounts",
  "target",
  "budget",
  "returned",
  "available",
  "received",
  "ceiling",
  "reserved",
  "disbursed",
  "allocated",
  "perBeneficiaryCap",
  "paid",
  "funded",
  "appropriated",
  "valuation",
  "goodsValuation",
  "granted",
  "programmeSpent",
  "adminSpent",
  "reversed",
  "inflow",
  "outflow",
  "inflowAfter",
  "outflowAfter",
  "toInflowAfter",
  "fromOutflowAfter",
  "cap",
  "requested",
  "income",
  "programme",
  "administrative",
  "balance",
]);

const MONEY_CONTRACTS = new Set(["CharityLedger", "ReliefLedger"]);

/** Quantity arguments of the traceability ledger: integers in thousandths of the unit. */
const QUANTITY_ARGS = new Set(["quantity", "quantities"]);

/** bytes32 / bytes3 ASCII codes of the traceability ledger. */
const CODE_ARGS = new Set([
  "productCode",
  "lotCode",
  "lotCodes",
  "outputProduct",
  "outputLot",
  "uom",
  "outputUom",
  "unit",
]);

export type ArgKind = "money" | "quantity" | "code" | "plain";

/** How the argument `name` of `contract` is to be shown. */
export function argKind(contract: string, name: string): ArgKind {
  if (MONEY_CONTRACTS.has(contract) && MONEY_ARGS.has(name)) return "money";
  if (contract === "TraceLedger" && QUANTITY_ARGS.has(name)) return "quantity";
  if (contract === "TraceLedger" && CODE_ARGS.has(name)) return "code";
  return "plain";
}

/** Hex bytes holding ASCII, right-padded with zeros, as text; undefined when it is not printable ASCII. */
export function asciiOf(hex: string): string | undefined {
  if (!/^0x([0-9a-fA-F]{2})+$/.test(hex)) return undefined;
  let out = "";
  for (let i = 2; i < hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c === 0) {
      if (/[^0]/.test(hex.slice(i))) return undefined;
      break;
    }
    if (c < 0x20 || c > 0x7e) return undefined;
    out += String.fromCharCode(c);
  }
  return out;
}
