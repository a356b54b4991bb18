/**
 * Reads a beneficiary list (精准识别: a village's 建档立卡 roll, or a department's list of people it
 * attests): a CSV (UTF-8) or XLSX file, one person per row, headers in English or Chinese. It is
 * read the way a charity's donation list is (src/charity/donation-file.ts, whose table reading it
 * shares): file-level problems (unreadable, wrong encoding, missing column) throw a
 * `LedgerError`; row-level problems are collected as {@link RowError}s with the line number
 * the user sees in the file, so one pass tells them everything to fix.
 *
 * The rows hold identity numbers. They stay on this machine: the importer turns each into its
 * beneficiary key (src/relief/key.ts) and sends only that. Every error shows a number masked
 * (`440781********123X`) and a name masked (`张**`), so an error list can be printed, mailed or
 * logged. Names are only checked for being names (a column of numbers under 姓名 usually means
 * swapped columns); they are not kept.
 */
import {
  INEXACT,
  type RawSheet,
  type RowError,
  clean,
  headerKey,
  locateColumns,
  readDataRows,
  readTable,
} from "../table-file.js";
import { InvalidInputError } from "../errors.js";
import { attestationOf } from "./attestations.js";
import { maskIdNumber, parseIdNumber } from "./key.js";

export { formatRowError, type RowError } from "../table-file.js";

/** Files larger than this are refused (split them): some 200,000 rows. */
export const MAX_BENEFICIARY_FILE_BYTES = 20 * 1024 * 1024;

/** What the file is read for: `register` needs the household column, `attest` the evidence column. */
export type BeneficiaryFileMode = "register" | "attest";

/** One valid row. */
export interface BeneficiaryRow {
  /** Line in the file as the user sees it (1-based, the header included). */
  readonly line: number;
  /** The identity number, validated and normalised: stays on this machine, never shown. */
  readonly idNumber: string;
  /** The number as it may be shown: `440781********123X`. */
  readonly maskedId: string;
  /** The worksheet the row is on, named when the workbook has more than one. */
  readonly sheet?: string;
  /**
   * The household record reference its household hash is made from: the file's 户编号, or, for a
   * roll without one, {@link DERIVED_HOUSEHOLD_PREFIX} and the 18-character ID number of the
   * household's head (户主身份证号; the row's own ID number when the roll has no such column).
   */
  readonly household?: string;
  /** The attestation kind the row names (`ATTESTATIONS`), when the file has that column. */
  readonly attestation?: number;
  /** Absolute path of the evidence file; its keccak256 is the attestation's evidence hash. */
  readonly evidencePath?: string;
}

type Field = "idNumber" | "name" | "household" | "attestation" | "evidence";

/** The household reference of a roll without a 户编号 column: this, then the household head's ID number. */
export const DERIVED_HOUSEHOLD_PREFIX = "户主身份证号:";

/** Headers of the household head's ID number: with a member's 身份证号 beside it, the household is derived from it. */
const HEAD_ID_HEADERS = ["户主身份证号", "户主身份证号码", "户主证件号码"];

/** What a beneficiary file is read with. */
export interface ReadBeneficiaryOptions {
  /** The worksheet to read (its name), or `all` for every sheet that looks like a roll. */
  readonly sheet?: string;
}

/** Header aliases, written as `locateColumns` compares them: lower case, no spaces, no unit in brackets. */
const HEADER_ALIASES: Record<Field, readonly string[]> = {
  idNumber: [
    "idnumber",
    "id",
    "idno",
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "证件号码",
    "证件号",
    "户主身份证号",
    "户主身份证号码",
    "户主证件号码",
  ],
  name: ["name", "姓名", "户主姓名", "户主"],
  household: ["household", "householdno", "户编号", "户号", "家庭编号", "户码"],
  attestation: ["attestation", "认定类型"],
  evidence: ["evidence", "证明文件", "证明材料"],
};

/** A name as it may be shown: its first character, the rest starred (`张**`). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return "*".repeat(chars.length);
  return chars[0]! + "*".repeat(chars.length - 1);
}

/** Why `name` is not a person's name, or undefined. Letters, spaces, `·`, `.`, `-` and `'` only. */
function nameProblem(name: string): string | undefined {
  if ([...name].length > 64) return "longer than 64 characters";
  if (/\p{Nd}/u.test(name)) return "has digits in it: a name has none (are the columns swapped?)";
  if (!/^[\p{L}\p{M}][\p{L}\p{M}\s·•.'-]*$/u.test(name)) return "not a name: letters only";
  return undefined;
}

/** How a cell's value may be shown in an error: masked for the identity number and the name. */
function shown(field: Field, value: string): string {
  if (field === "idNumber") return maskIdNumber(value);
  if (field === "name") return maskName(value);
  return value;
}

/**
 * Reads a beneficiary file (CSV or XLSX, decided by content) into valid rows and row errors.
 * Throws a `LedgerError` when the file as a whole cannot be used, a required column included:
 * the identity number always, the household in `register` mode, the evidence in `attest` mode.
 */
export async function readBeneficiaryFile(
  path: string,
  mode: BeneficiaryFileMode = "register",
  opts: ReadBeneficiaryOptions = {},
): Promise<{ rows: BeneficiaryRow[]; errors: RowError[] }> {
  const required: Field[] = mode === "register" ? ["idNumber"] : ["idNumber", "evidence"];
  const firstLineOfId = new Map<string, string>();
  const { rows, errors } = await readTable(
    path,
    {
      maxBytes: MAX_BENEFICIARY_FILE_BYTES,
      what: "beneficiary",
      listName: "beneficiary roll",
      aliases: HEADER_ALIASES,
      required,
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
    },
    (sheet) => validateRows(path, sheet, mode, required, firstLineOfId),
  );
  return { rows, errors };
}

/** Why an ID number cell is what Excel or an old register left, before its check character is even read. */
function idShapeProblem(text: string, numericCell: boolean): string | undefined {
  if (/\s/.test(text)) return "has spaces in it: write the 18 characters without spaces";
  if (/^[0-9]{15}$/.test(text)) {
    return "an old 15-digit ID number: convert it to 18 (19 before the birth year, then the check character), as on the current ID card";
  }
  if (numericCell && /^[0-9]{16,}$/.test(text)) {
    return "Excel kept only 15 digits: the cell holds a number, so the last digits were lost; format the column as text and type the number again from the ID card";
  }
  if (/^[0-9]{15}000$/.test(text)) {
    return (
      "Excel kept only 15 digits (it ends in 000, as a number Excel stored does): type the number again from the ID card in a column formatted as text; " +
      "if it really ends in 000, write it with a leading ' ('440781…000)"
    );
  }
  return undefined;
}

async function validateRows(
  path: string,
  sheet: RawSheet,
  mode: BeneficiaryFileMode,
  required: readonly Field[],
  firstLineOfId: Map<string, string>,
): Promise<{ rows: BeneficiaryRow[]; errors: RowError[] }> {
  const raw = sheet.rows;
  const where = sheet.name !== undefined ? `${path} sheet ${JSON.stringify(sheet.name)}` : path;
  const { headerIndex, columns } = locateColumns(where, raw, HEADER_ALIASES, required);
  const sheetName = sheet.name !== undefined ? { sheet: sheet.name } : {};
  const deriveHousehold = !columns.has("household");
  // The household head's column, when it is not the column read as the row's ID number.
  const headerCells = raw[headerIndex]!.cells.map(headerKey);
  const headColumn = headerCells.findIndex((k, i) => HEAD_ID_HEADERS.includes(k) && i !== columns.get("idNumber"));

  const { rows, errors } = await readDataRows<Field, BeneficiaryRow>(
    path,
    sheet,
    headerIndex,
    columns,
    async (reader) => {
      const { row: r, here, cell, fail, evidence } = reader;
      if (r.struck === true || r.hidden === true) {
        reader.report({
          ...sheetName,
          field: "row",
          value: r.struck === true ? "struck through" : "hidden",
          reason:
            r.struck === true
              ? "a struck-through row (someone who left the roll?): delete it, or remove the strikethrough if it stands"
              : "a hidden row (Excel hides it, the importer does not): delete it, or unhide it if it stands",
        });
        return undefined;
      }
      const idColumn = columns.get("idNumber")!;
      for (const [field, i] of columns) {
        if (r.inexact?.has(i) === true && i !== idColumn) fail(field, cell(field), INEXACT);
      }

      let idText = cell("idNumber");
      // A leading ' says "this is text" (how a clerk confirms a number that really ends in 000).
      const confirmedText = idText.startsWith("'");
      if (confirmedText) idText = idText.slice(1).trim();
      const shape = confirmedText ? undefined : idShapeProblem(idText, r.numeric?.has(idColumn) === true);
      let idNumber: string | undefined;
      if (idText === "") fail("idNumber", idText, "is empty");
      else if (shape !== undefined) fail("idNumber", idText, shape);
      else if (r.inexact?.has(idColumn) === true) fail("idNumber", idText, INEXACT);
      else if (/^[0-9.]+e\+?[0-9]+$/i.test(idText)) {
        fail(
          "idNumber",
          idText,
          "a number Excel shortened to scientific notation: format the column as text and type it again",
        );
      } else {
        try {
          idNumber = parseIdNumber(idText);
        } catch (e) {
          if (!(e instanceof InvalidInputError)) throw e;
          fail("idNumber", idText, e.problem);
        }
        if (idNumber !== undefined) {
          const first = firstLineOfId.get(idNumber);
          if (first !== undefined) fail("idNumber", idText, `duplicate: the same ID number is on ${first}`);
          else firstLineOfId.set(idNumber, here);
        }
      }

      const name = cell("name");
      if (name !== "") {
        const problem = nameProblem(name);
        if (problem !== undefined) fail("name", name, problem);
      }

      let household = cell("household");
      if (deriveHousehold && mode === "register" && idNumber !== undefined) {
        household = DERIVED_HOUSEHOLD_PREFIX + idNumber;
        if (headColumn >= 0) {
          const headText = clean(r.cells[headColumn] ?? "");
          const headShape = idShapeProblem(headText, r.numeric?.has(headColumn) === true);
          try {
            if (headShape !== undefined) throw new InvalidInputError("ID number", headText, headShape);
            household = DERIVED_HOUSEHOLD_PREFIX + parseIdNumber(headText);
          } catch (e) {
            if (!(e instanceof InvalidInputError)) throw e;
            fail("household", maskIdNumber(headText), `the household head's ID number (户主身份证号): ${e.problem}`);
          }
        }
      }
      if (mode === "register" && household === "" && !deriveHousehold) {
        fail("household", household, "is empty: registering a beneficiary needs the household record (户编号)");
      } else if (/^[0-9.]+e\+?[0-9]+$/i.test(household)) {
        fail(
          "household",
          household,
          "a number Excel shortened to scientific notation: format the column as text and type it again",
        );
      }

      const attestationText = cell("attestation");
      let attestation: number | undefined;
      if (attestationText !== "") {
        try {
          attestation = attestationOf(attestationText).kind;
        } catch (e) {
          fail(
            "attestation",
            attestationText,
            (e as Error).message.replace(/^unknown attestation "[^"]*": /, "unknown: "),
          );
        }
      }

      const evidenceText = cell("evidence");
      let evidencePath: string | undefined;
      if (evidenceText !== "") {
        evidencePath = await evidence(evidenceText);
      } else if (mode === "attest") {
        fail("evidence", evidenceText, "is empty: an attestation needs its evidence file (证明文件)");
      }

      if (reader.failed) return undefined;
      return {
        line: r.line,
        ...sheetName,
        idNumber: idNumber!,
        maskedId: maskIdNumber(idNumber!),
        ...(household !== "" ? { household } : {}),
        ...(attestation !== undefined ? { attestation } : {}),
        ...(evidencePath !== undefined ? { evidencePath } : {}),
      };
    },
    { shown: (field, value) => shown(field as Field, value) },
  );
  return { rows, errors };
}
