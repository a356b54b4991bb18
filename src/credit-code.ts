/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet, the last one a check character over the first 17.
 */
import { InvalidInputError } from "./errors.js";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i] ?? "");
    if (v < 0) throw new Error(`invalid character ${JSON.stringify(first17[i])} at position ${i + 1}`);
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Why `code` is not a valid credit code, or undefined when it is. */
export function creditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) return `must be 18 characters, got ${code.length}`;
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(code[i]!)) {
      return `character ${JSON.stringify(code[i])} at position ${i + 1} is not allowed (digits and capitals except I, O, S, V, Z)`;
    }
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return `check character is ${code[17]}, expected ${expected}`;
  return undefined;
}

/** Normalises (trim, upper case) and validates a credit code; throws naming the value. */
export function parseCreditCode(input: string): string {
  const code = input.trim().toUpperCase();
  const problem = creditCodeProblem(code);
  if (problem !== undefined) throw new InvalidInputError("credit code", input, problem);
  return code;
}

/** The bytes18 form stored on chain. */
export function creditCodeToBytes18(code: string): string {
  return "0x" + Buffer.from(code, "ascii").toString("hex");
}

/** The text form of the bytes18 stored on chain. */
export function creditCodeFromBytes18(hex: string): string {
  return Buffer.from(hex.replace(/^0x/, ""), "hex").toString("ascii");
}
