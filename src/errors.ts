/**
 * The errors a user can act on. Imports nothing: every module may throw these, and only the
 * edges (the CLI's task runner, the API) turn them into lines for people — see `src/refusals.ts`.
 */

/** The base of every error shown to a user as one line, without a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** A refusal a user can act on, said in one line. */
export class LedgerError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/** Input that failed validation: names the field and the value. Nothing was sent. */
export class InvalidInputError extends UserError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
  ) {
    super(`invalid ${field} ${JSON.stringify(String(value))}: ${problem}`);
    this.name = "InvalidInputError";
  }
}

/** Decoded custom error from a revert: its name and named arguments. */
export interface DecodedRevert {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** The chain refused a write with a custom error: {@link revert} says which, with its arguments. */
export class ChainRefusal extends LedgerError {
  constructor(
    readonly revert: DecodedRevert,
    described: string,
  ) {
    super(`the chain refused: ${described}`);
    this.name = "ChainRefusal";
  }
}

/** One sentence per custom error of a contract, from the error's named arguments. */
export type Refusals = Readonly<Record<string, (args: Readonly<Record<string, unknown>>) => string>>;
