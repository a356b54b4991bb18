/**
 * Every custom error a contract interface declares (`contracts/interfaces/I*.sol`) has a sentence
 * for users (`src/<domain>/refusals.ts`, composed in `src/refusals.ts`), and the sentence reads the
 * error's own arguments; the library throws the decoded revert and only the edges explain it.
 */
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { AbiCoder, ErrorFragment, type ParamType } from "ethers";

import { GOVERNANCE_INTERFACES, INTERFACES, chainRefusalOf } from "../src/contracts.js";
import { ChainRefusal, LedgerError } from "../src/errors.js";
import { REFUSALS, explain } from "../src/refusals.js";

const INTERFACE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../contracts/interfaces");

/** `error Name(` declarations of every interface file, by file. */
async function declaredErrors(): Promise<Map<string, string[]>> {
  const byFile = new Map<string, string[]>();
  for (const file of (await readdir(INTERFACE_DIR)).filter((f) => /^I.*\.sol$/.test(f)).sort()) {
    const source = await readFile(join(INTERFACE_DIR, file), "utf8");
    byFile.set(
      file,
      [...source.matchAll(/^\s*error\s+([A-Za-z0-9_]+)\s*\(/gm)].map((m) => m[1]!),
    );
  }
  return byFile;
}

function fragmentOf(name: string): ErrorFragment {
  for (const iface of [...Object.values(INTERFACES), ...Object.values(GOVERNANCE_INTERFACES)]) {
    const f = iface.getError(name);
    if (f !== null) return f;
  }
  throw new Error(`no typechain interface has error ${name}`);
}

/** A plausible value of an ABI type, distinct per position so a sentence's use of each shows. */
function sample(t: ParamType, i: number): unknown {
  if (t.baseType === "address") return `0x${(i + 1).toString(16).padStart(40, "0")}`;
  if (t.baseType === "bool") return true;
  if (t.baseType === "string") return `text${i}`;
  if (t.baseType.startsWith("bytes")) {
    const n = t.baseType === "bytes" ? 4 : Number(t.baseType.slice(5));
    return `0x${"41".repeat(n)}`;
  }
  if (/^u?int/.test(t.baseType)) return BigInt(i + 1);
  throw new Error(`no sample for ${t.type}`);
}

describe("refusal sentences", function () {
  it("has a sentence for every custom error of every contract interface", async function () {
    const declared = await declaredErrors();
    expect([...declared.keys()]).to.include.members([
      "ICharityLedger.sol",
      "IOrgRegistry.sol",
      "IReliefLedger.sol",
      "ITraceLedger.sol",
    ]);
    const missing = [...declared.values()].flat().filter((name) => REFUSALS[name] === undefined);
    expect(missing, "errors without a sentence").to.deep.equal([]);
  });

  it("says each sentence from the error's decoded arguments, without undefined or a raw error name", async function () {
    for (const name of [...(await declaredErrors()).values()].flat()) {
      const fragment = fragmentOf(name);
      const values = fragment.inputs.map((t, i) => sample(t, i));
      const data = fragment.selector + AbiCoder.defaultAbiCoder().encode(fragment.inputs, values).slice(2);
      const refusal = chainRefusalOf({ data });
      expect(refusal, name).to.be.instanceOf(ChainRefusal);
      expect(refusal!.revert.name).to.equal(name);
      const said = explain(refusal);
      expect(said, name).to.be.instanceOf(LedgerError);
      expect(said.message, name).to.match(/^the chain refused: /);
      expect(said.message, name).not.to.include("undefined");
      expect(said.message, name).not.to.include(`${name}(`);
    }
  });

  it("keeps the decoded revert in the library's error and the sentence at the edge", function () {
    const fragment = fragmentOf("CharityLedgerZeroAmount");
    const refusal = chainRefusalOf({ error: { data: fragment.selector } });
    expect(refusal?.message).to.equal("the chain refused: CharityLedgerZeroAmount()");
    expect(explain(refusal).message).to.equal("the chain refused: the amount must be more than zero");
  });
});
