import { documentHash } from "../../src/hash.js";
import { checkAmount } from "../../src/charity/ledger.js";
import { InvalidInputError } from "../../src/errors.js";
import { required } from "../common.js";

/** The document hash of a `--<name>-file` / `--<name>-hash` pair. */
export function docHash(name: string, file: string, hash: string): Promise<string> {
  return documentHash(`${name} hash`, { file, hash });
}

/** A required positive whole quantity. */
export function quantityOption(flag: string, value: string | undefined): bigint {
  const text = required(flag, value).trim();
  if (!/^[0-9]+$/.test(text)) throw new InvalidInputError(flag, text, "must be a whole number");
  return checkAmount(flag, BigInt(text));
}
