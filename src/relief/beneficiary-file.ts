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
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

import {
  INEXACT,
  type RawRow,
  type RowError,
  isEmptyRow,
  locateColumns,
  readTableFile,
} from "../charity/donation-file.js";
import { InvalidInputError } from "../credit-code.js";
import { attestationOf } from "./attestations.js";
import { maskIdNumber, parseIdNumber } from "./key.js";

export { formatRowError, type RowError } from "../charity/donation-file.js";

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
  /** The household record reference (户编号) its household hash is made from. */
  readonly household?: string;
  /** The attestation kind the row names (`ATTESTATIONS`), when the file has that column. */
  readonly attestation?: number;
  /** Absolute path of the evidence file; its keccak256 is the attestation's evidence hash. */
  readonly evidencePath?: string;
}

type Field = "idNumber" | "name" | "household" | "attestation" | "evidence";

/** Header aliases, written as `locateColumns` compares them: lower case, no spaces, no unit in brackets. */
const HEADER_ALIASES: Record<Field, readonly string[]> = {
  idNumber: ["idnumber", "id", "idno", "身份证号", "身份证号码", "公民身份号码", "证件号码"],
  name: ["name", "姓名"],
  household: ["household", "householdno", "户编号", "户号", "家庭编号"],
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
): Promise<{ rows: BeneficiaryRow[]; errors: RowError[] }> {
  const raw = await readTableFile(path, MAX_BENEFICIARY_FILE_BYTES, "beneficiary");
  return await validateRows(path, raw, mode);
}

async function validateRows(
  path: string,
  raw: readonly RawRow[],
  mode: BeneficiaryFileMode,
): Promise<{ rows: BeneficiaryRow[]; errors: RowError[] }> {
  const required: Field[] = ["idNumber", mode === "register" ? "household" : "evidence"];
  const { headerIndex, columns } = locateColumns(path, raw, HEADER_ALIASES, required);

  const folder = dirname(resolve(path));
  const evidenceExists = new Map<string, Promise<boolean>>();
  const firstLineOfId = new Map<string, number>();
  const rows: BeneficiaryRow[] = [];
  const errors: RowError[] = [];

  for (const r of raw.slice(headerIndex + 1)) {
    if (isEmptyRow(r)) continue;
    const cell = (field: Field): string => {
      const i = columns.get(field);
      return i === undefined ? "" : (r.cells[i] ?? "").normalize("NFC").trim();
    };
    const rowErrors: RowError[] = [];
    const fail = (field: Field, value: string, reason: string) =>
      rowErrors.push({ line: r.line, field, value: shown(field, value), reason });
    for (const [field, i] of columns) if (r.inexact?.has(i) === true) fail(field, cell(field), INEXACT);

    const idText = cell("idNumber");
    let idNumber: string | undefined;
    if (idText === "") fail("idNumber", idText, "is empty");
    else if (/^[0-9.]+e\+?[0-9]+$/i.test(idText)) {
      fail(
        "idNumber",
        idText,
        "a number Excel shortened to scientific notation: format the column as text and type it again",
      );
    } else if (r.inexact?.has(columns.get("idNumber")!) !== true) {
      try {
        idNumber = parseIdNumber(idText);
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        fail("idNumber", idText, e.problem);
      }
      if (idNumber !== undefined) {
        const first = firstLineOfId.get(idNumber);
        if (first !== undefined) fail("idNumber", idText, `duplicate: the same ID number is on line ${first}`);
        else firstLineOfId.set(idNumber, r.line);
      }
    }

    const name = cell("name");
    if (name !== "") {
      const problem = nameProblem(name);
      if (problem !== undefined) fail("name", name, problem);
    }

    const household = cell("household");
    if (mode === "register" && household === "") {
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
      evidencePath = resolve(folder, evidenceText);
      let exists = evidenceExists.get(evidencePath);
      if (exists === undefined) {
        exists = stat(evidencePath).then(
          (s) => s.isFile(),
          () => false,
        );
        evidenceExists.set(evidencePath, exists);
      }
      if (!(await exists)) fail("evidence", evidenceText, `file not found: ${evidencePath}`);
    } else if (mode === "attest") {
      fail("evidence", evidenceText, "is empty: an attestation needs its evidence file (证明文件)");
    }

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      line: r.line,
      idNumber: idNumber!,
      maskedId: maskIdNumber(idNumber!),
      ...(household !== "" ? { household } : {}),
      ...(attestation !== undefined ? { attestation } : {}),
      ...(evidencePath !== undefined ? { evidencePath } : {}),
    });
  }
  return { rows, errors };
}
