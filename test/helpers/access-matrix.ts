/**
 * The access matrix: which role gets through the AccessManager to which function of a
 * target, checked against deploy/wiring.ts. Generic over the target, so every domain
 * contract (charity, trace, relief) reuses it with its own wiring, signers and arguments.
 *
 * Three checks:
 *  - {@link expectAccessMatrix} calls every wired function from every role's signer with
 *    `staticCall` (nothing changes on chain) and asserts that exactly the wired role (or,
 *    for PUBLIC, everyone) gets past the manager. A call is "rejected by the manager" when
 *    it reverts with the target's `AccessManagedUnauthorized(caller)` naming the caller;
 *    any other outcome (success, a domain-rule revert) means the gate let it through.
 *  - {@link expectWiringComplete} asserts that every state-changing function of the ABI is
 *    wired (an unwired one silently defaults to ADMIN) and that the manager's
 *    `getTargetFunctionRole` agrees with the wiring for each of them.
 *  - {@link expectWiringReadBack} reads back what the deployment wrote to the manager (its
 *    `TargetFunctionRoleUpdated` events) and asserts it is exactly deploy/wiring.ts.
 *
 * A PUBLIC function lets everyone through whether or not it carries `restricted`, so the
 * matrix cannot see a missing modifier there: {@link expectEveryFunctionRestricted} closes
 * the target and checks that the manager then rejects every wired function.
 *
 * Every wired function is also relayed by every caller through `manager.execute`: the ledgers and
 * the registry refuse a relayed call (`<Target>RelayedCall`), since the manager would stand in as
 * the acting organisation, and the manager itself refuses callers without the function's role.
 * Either way no relay gets through.
 *
 * One state-changing function is never wired: AccessManaged's own `setAuthority`
 * ({@link MANAGER_ONLY_FUNCTIONS}). It is not `restricted`; only the manager itself may call
 * it, and AccessManager hard-codes ADMIN for it (`canCall` ignores its function role). The
 * matrix checks that rule instead: every direct call is refused, and through
 * `manager.execute` only ADMIN gets through.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  type BaseContract,
  type ErrorFragment,
  type FunctionFragment,
  type Signer,
  isCallException,
  isHexString,
} from "ethers";

import { DEPARTMENTS } from "../../deploy/modules/Foundation.js";
import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import type { TargetWiring } from "../../deploy/wiring.js";
import { ORG_KINDS, PUBLIC_ROLE, ROLE, ROLES, roleLabel } from "../../src/roles.js";
import { writeFunctions } from "../../src/wiring.js";
import type { AccessManager } from "../../types/ethers-contracts/index.js";

// ---------------------------------------------------------------- types

/** Arguments a typechain method accepts (its parameters, optionally followed by overrides). */
type MethodArgs<C, F extends string> = F extends keyof C
  ? C[F] extends { staticCall(...args: infer A): Promise<unknown> }
    ? A
    : never
  : readonly unknown[];

/** Builds well-formed arguments for one function, given the caller's address. */
export type ArgsFactory<A> = (caller: string) => A | Promise<A>;

/** One argument factory per wired function, typed by the target's typechain methods. */
export type ArgsFactories<C extends BaseContract, W extends TargetWiring> = {
  readonly [F in keyof W & string]: ArgsFactory<MethodArgs<C, F>>;
};

/** The callers of the matrix. */
export interface MatrixSigners {
  /** Role id → a signer holding that role, without execution delay, and no other role of the matrix. */
  readonly byRole: ReadonlyMap<bigint, Signer>;
  /** A signer holding no role at all. */
  readonly roleless: Signer;
}

/** Everything the matrix needs. */
export interface AccessMatrixSpec<C extends BaseContract, W extends TargetWiring> {
  readonly manager: AccessManager;
  readonly target: C;
  readonly wiring: W;
  readonly signers: MatrixSigners;
  /** Keyed by the wiring's functions (not used to infer the wiring's type). */
  readonly args: NoInfer<ArgsFactories<C, W>>;
}

/** What one call did at the manager's gate. */
export interface GateOutcome {
  /** false: the target reverted with `AccessManagedUnauthorized(caller)`. */
  readonly passed: boolean;
  /** "returned", the decoded revert, or the raw revert data. */
  readonly detail: string;
}

/** One cell of the matrix: one function called by one caller. */
export interface MatrixCell extends GateOutcome {
  readonly fn: string;
  /** "direct": the caller calls the target; "execute": the caller relays through `manager.execute`. */
  readonly path: "direct" | "execute";
  /** Role label of the caller, or {@link ROLELESS}. */
  readonly caller: string;
  /** Role held by the caller; undefined for the roleless signer. */
  readonly role: bigint | undefined;
  readonly address: string;
}

/** Caller label of the roleless signer. */
export const ROLELESS = "(no role)";

/**
 * State-changing functions every AccessManaged target inherits that the wiring leaves out:
 * `setAuthority` reverts unless the manager calls it, and AccessManager lets only ADMIN
 * relay it (`updateAuthority`, or `execute` whatever the function role says).
 */
export const MANAGER_ONLY_FUNCTIONS: readonly string[] = ["setAuthority"];

// ---------------------------------------------------------------- helpers

/** Role id of a wiring label. */
export function wiredRole(label: TargetWiring[string]): bigint {
  return label === "PUBLIC" ? PUBLIC_ROLE : ROLE[label];
}

/** A `data` property that is revert data: a hex string, or an object whose `data` is one. */
function hexData(value: unknown): string | undefined {
  if (typeof value === "object" && value !== null && "data" in value) {
    const data: unknown = value.data;
    if (typeof data === "string" && isHexString(data)) return data;
    if (typeof data === "object" && data !== null && "data" in data) {
      const inner: unknown = data.data;
      if (typeof inner === "string" && isHexString(inner)) return inner;
    }
  }
  return undefined;
}

/**
 * The revert data carried by whatever a call threw; undefined when it is not a revert.
 * ethers raises a CALL_EXCEPTION; Hardhat's in-process network raises its own
 * `SolidityError` with the return data in `data` (a nested `error.data` for other providers),
 * which is where hardhat-ethers-chai-matchers reads it too.
 */
function revertData(e: unknown): string | undefined {
  if (isCallException(e)) return e.data ?? "0x";
  const direct = hexData(e);
  if (direct !== undefined) return direct;
  if (typeof e === "object" && e !== null && "error" in e) return hexData(e.error);
  return undefined;
}

/** The target's `AccessManagedUnauthorized` error: a target without it is not AccessManaged. */
function unauthorizedError(target: BaseContract): ErrorFragment {
  const fragment = target.interface.getError("AccessManagedUnauthorized");
  if (fragment === null)
    throw new Error("the target's ABI has no AccessManagedUnauthorized error: is it AccessManaged?");
  return fragment;
}

/** Describes revert data with the target's ABI (falls back to the raw data). */
function describeRevert(target: BaseContract, data: string): string {
  if (data === "0x") return "reverted without data";
  try {
    const parsed = target.interface.parseError(data);
    if (parsed !== null) return `reverted ${parsed.name}(${parsed.args.map(String).join(", ")})`;
  } catch {
    // not an error of the target's ABI
  }
  return `reverted ${data}`;
}

/**
 * Calls `fn` with `staticCall` from `signer` and says whether the manager let it through.
 * Anything thrown that is not a revert (malformed arguments, an RPC failure) is rethrown:
 * it must not be mistaken for a call that passed the gate.
 */
export async function probeGate<C extends BaseContract>(
  target: C,
  fn: string,
  signer: Signer,
  args: readonly unknown[],
): Promise<GateOutcome> {
  const unauthorized = unauthorizedError(target);
  const caller = await signer.getAddress();
  const method = target.connect(signer).getFunction(fn);
  try {
    await method.staticCall(...args);
    return { passed: true, detail: "returned" };
  } catch (e) {
    const data = revertData(e);
    if (data === undefined) throw e;
    if (data.toLowerCase().startsWith(unauthorized.selector)) {
      const [rejected] = target.interface.decodeErrorResult(unauthorized, data);
      // The gate names msg.sender. Another address means a nested AccessManaged call
      // refused the target itself: this call got through the target's own gate.
      if (typeof rejected === "string" && rejected.toLowerCase() === caller.toLowerCase()) {
        return { passed: false, detail: `reverted AccessManagedUnauthorized(${rejected})` };
      }
    }
    return { passed: true, detail: describeRevert(target, data) };
  }
}

/**
 * Relays `fn` through `manager.execute` with `staticCall` and says whether the relay got through:
 * rejected when the manager reverts with `AccessManagerUnauthorizedCall(caller, …)`, or when the
 * target refuses the relayed call with its `…RelayedCall(manager, selector)`.
 */
export async function probeExecute<C extends BaseContract>(
  manager: AccessManager,
  target: C,
  fn: string,
  signer: Signer,
  args: readonly unknown[],
): Promise<GateOutcome> {
  const caller = await signer.getAddress();
  const data = target.interface.encodeFunctionData(fn, args);
  const unauthorized = manager.interface.getError("AccessManagerUnauthorizedCall");
  if (unauthorized === null) throw new Error("the manager's ABI has no AccessManagerUnauthorizedCall error");
  try {
    await manager.connect(signer).execute.staticCall(await target.getAddress(), data);
    return { passed: true, detail: "returned" };
  } catch (e) {
    const revert = revertData(e);
    if (revert === undefined) throw e;
    if (revert.toLowerCase().startsWith(unauthorized.selector)) {
      const [rejected] = manager.interface.decodeErrorResult(unauthorized, revert);
      if (typeof rejected === "string" && rejected.toLowerCase() === caller.toLowerCase()) {
        return { passed: false, detail: "reverted AccessManagerUnauthorizedCall" };
      }
    }
    const relayed = relayedCallError(target);
    if (relayed !== undefined && revert.toLowerCase().startsWith(relayed.selector)) {
      const [manager, selector] = target.interface.decodeErrorResult(relayed, revert);
      const expected = target.interface.getFunction(fn)!.selector;
      if (String(manager).toLowerCase() === (await authorityOf(target)).toLowerCase() && selector === expected) {
        return { passed: false, detail: `reverted ${relayed.name}` };
      }
    }
    return { passed: true, detail: describeRevert(target, revert) };
  }
}

/** The target's `…RelayedCall(address manager, bytes4 selector)` error, if it has one. */
function relayedCallError(target: BaseContract): ErrorFragment | undefined {
  let found: ErrorFragment | undefined;
  target.interface.forEachError((e) => {
    if (e.name.endsWith("RelayedCall")) found = e;
  });
  return found;
}

/** The target's authority. */
async function authorityOf(target: BaseContract): Promise<string> {
  return String(await target.getFunction("authority").staticCall());
}

/** Checks the callers: distinct, each holding its role immediately and no other, the roleless one none. */
async function checkSigners(manager: AccessManager, signers: MatrixSigners): Promise<void> {
  const roleIds = new Set<bigint>([...ROLES.map((r) => r.id), ...signers.byRole.keys()]);
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const [label, role, signer] of callersOf(signers)) {
    if (role === PUBLIC_ROLE) {
      problems.push("PUBLIC is not a role a signer can stand for: use the roleless signer");
      continue;
    }
    const address = await signer.getAddress();
    const other = seen.get(address.toLowerCase());
    if (other !== undefined) problems.push(`${label} and ${other} are the same account ${address}`);
    seen.set(address.toLowerCase(), label);
    for (const id of roleIds) {
      const [isMember, delay] = await manager.hasRole(id, address);
      if (id === role) {
        if (!isMember) problems.push(`the ${label} signer ${address} does not hold ${label}`);
        else if (delay !== 0n)
          problems.push(`the ${label} signer ${address} holds ${label} with an execution delay of ${delay}s`);
      } else if (isMember) {
        problems.push(`the ${label} signer ${address} also holds ${roleLabel(id)}`);
      }
    }
  }
  if (problems.length > 0) expect.fail(`access matrix: unusable signers:\n  ${problems.join("\n  ")}`);
}

/** Checks that `target` is AccessManaged by `manager` and has code. */
async function checkTarget(manager: AccessManager, target: BaseContract): Promise<string> {
  const address = await target.getAddress();
  const runner = target.runner;
  const provider = runner?.provider ?? null;
  if (provider !== null && (await provider.getCode(address)) === "0x")
    expect.fail(`access matrix: no code at ${address}`);
  unauthorizedError(target);
  const authority: unknown = await target.getFunction("authority").staticCall();
  const managerAddress = await manager.getAddress();
  if (typeof authority !== "string" || authority.toLowerCase() !== managerAddress.toLowerCase()) {
    expect.fail(`access matrix: the target's authority is ${String(authority)}, not the manager ${managerAddress}`);
  }
  return address;
}

// ---------------------------------------------------------------- the matrix

/** Calls every wired function from every caller; returns what the gate did, row by row. */
export async function probeAccessMatrix<C extends BaseContract, W extends TargetWiring>(
  spec: AccessMatrixSpec<C, W>,
): Promise<MatrixCell[]> {
  const { manager, target, wiring, signers, args } = spec;
  await checkTarget(manager, target);
  await checkSigners(manager, signers);
  const callers = callersOf(signers);
  const cells: MatrixCell[] = [];
  for (const fn of Object.keys(wiring) as (keyof W & string)[]) {
    const factory: ArgsFactory<readonly unknown[]> | undefined = args[fn];
    if (factory === undefined) throw new Error(`access matrix: no argument factory for ${fn}`);
    for (const [caller, role, signer] of callers) {
      const address = await signer.getAddress();
      const args = await factory(address);
      const outcome = await probeGate(target, fn, signer, args);
      cells.push({ fn, path: "direct", caller, role, address, ...outcome });
      const relayed = await probeExecute(manager, target, fn, signer, args);
      cells.push({ fn, path: "execute", caller, role, address, ...relayed });
    }
  }
  // setAuthority(manager): well-formed, and a no-op were it ever let through.
  const managerAddress = await manager.getAddress();
  for (const fn of MANAGER_ONLY_FUNCTIONS.filter((f) => !(f in wiring) && hasFunction(target, f))) {
    for (const [caller, role, signer] of callers) {
      const address = await signer.getAddress();
      const direct = await probeGate(target, fn, signer, [managerAddress]);
      cells.push({ fn, path: "direct", caller, role, address, ...direct });
      const relayed = await probeExecute(manager, target, fn, signer, [managerAddress]);
      cells.push({ fn, path: "execute", caller, role, address, ...relayed });
    }
  }
  return cells;
}

/** The callers of the matrix: [label, role, signer], the roleless one last. */
function callersOf(signers: MatrixSigners): [string, bigint | undefined, Signer][] {
  return [
    ...[...signers.byRole].map(([role, s]): [string, bigint | undefined, Signer] => [roleLabel(role), role, s]),
    [ROLELESS, undefined, signers.roleless],
  ];
}

/** Whether the target's ABI has a function of that name. */
function hasFunction(target: BaseContract, fn: string): boolean {
  try {
    return target.interface.getFunction(fn) !== null;
  } catch {
    return true; // ambiguous: overloaded, so present
  }
}

/**
 * Whether `role` (undefined: the roleless signer) should get through: a wired function lets
 * its role (everyone for PUBLIC) call it directly and nobody through `execute`; a manager-only
 * one is refused to every direct caller and relayed by `execute` for ADMIN only.
 */
function expectedToPass(wiring: TargetWiring, cell: MatrixCell): boolean {
  const label = wiring[cell.fn];
  if (label === undefined) return cell.path === "execute" && cell.role === ROLE.ADMIN;
  if (cell.path === "execute") return false;
  return label === "PUBLIC" || (cell.role !== undefined && wiredRole(label) === cell.role);
}

/** How a cell's function is wired, for messages. */
function wiredAs(wiring: TargetWiring, cell: MatrixCell): string {
  const label = wiring[cell.fn];
  return label === undefined ? "manager only" : `wired ${label}`;
}

/**
 * Asserts the matrix: for every wired function, exactly its wired role passes the manager
 * (everyone for PUBLIC) and every other caller is rejected by it. Each wired role needs a
 * signer (impersonate a contract account for a role only a contract holds). Returns the cells.
 */
export async function expectAccessMatrix<C extends BaseContract, W extends TargetWiring>(
  spec: AccessMatrixSpec<C, W>,
): Promise<MatrixCell[]> {
  const needed = [...Object.values(spec.wiring), "ADMIN" as const];
  const missing = [
    ...new Set(
      needed.filter(
        (label): label is Exclude<typeof label, "PUBLIC"> =>
          label !== "PUBLIC" && !spec.signers.byRole.has(ROLE[label]),
      ),
    ),
  ];
  if (missing.length > 0) {
    expect.fail(`access matrix: no signer for wired role(s) ${missing.join(", ")}: the matrix could not see them pass`);
  }
  const cells = await probeAccessMatrix(spec);
  const wrong = cells.filter((c) => c.passed !== expectedToPass(spec.wiring, c));
  if (wrong.length > 0) {
    const lines = wrong.map(
      (c) =>
        `${c.fn}${c.path === "execute" ? " via manager.execute" : ""} (${wiredAs(spec.wiring, c)}) from ${c.caller} ${c.address}: ` +
        `${c.passed ? "passed the manager" : "rejected by the manager"}, expected ${c.passed ? "rejection" : "to pass"} [${c.detail}]`,
    );
    expect.fail(`access matrix: ${wrong.length} call(s) disagree with the wiring:\n  ${lines.join("\n  ")}`);
  }
  return cells;
}

/**
 * Asserts the relay half of a matrix: every wired function was relayed through `manager.execute`
 * by every caller and none got through; the callers the manager admits for the function (its role,
 * everyone for PUBLIC) were refused by the target's own `relayedError`, the others by the manager.
 */
export function expectRelaysRefused(
  cells: readonly MatrixCell[],
  wiring: TargetWiring,
  callers: number,
  relayedError: string,
): void {
  for (const [fn, label] of Object.entries(wiring)) {
    const row = cells.filter((c) => c.fn === fn && c.path === "execute");
    expect(row, fn).to.have.length(callers);
    for (const c of row) {
      const admitted = label === "PUBLIC" || (c.role !== undefined && wiredRole(label) === c.role);
      expect(c.passed, `${fn} relayed by ${c.caller}`).to.equal(false);
      expect(c.detail, `${fn} relayed by ${c.caller}`).to.equal(
        admitted ? `reverted ${relayedError}` : "reverted AccessManagerUnauthorizedCall",
      );
    }
  }
}

/**
 * Asserts a ledger's matrix row by row: exactly the wired role passes each restricted function directly (every
 * other caller refused by the manager with AccessManagedUnauthorized), every caller passes the PUBLIC ones at
 * the manager, the rightful callers' calls go all the way through (the arguments are sound: `rightfulPublic(fn)`
 * for a PUBLIC function, the wired role otherwise), every relay through the manager is refused with
 * `relayedError` (the ledger would take the manager for the actor), and `setAuthority`, outside the wiring,
 * passes only ADMIN's relay through the manager.
 */
export function expectWiredRows(
  cells: readonly MatrixCell[],
  wiring: TargetWiring,
  callers: number,
  rightfulPublic: (fn: string) => readonly string[],
  relayedError: string,
): void {
  const wired = cells.filter((c) => c.fn in wiring && c.path === "direct");
  expect(wired).to.have.length(Object.keys(wiring).length * callers);
  expectRelaysRefused(cells, wiring, callers, relayedError);

  for (const [fn, label] of Object.entries(wiring)) {
    const row = wired.filter((c) => c.fn === fn);
    const passed = row.filter((c) => c.passed).map((c) => c.caller);
    if (label === "PUBLIC") {
      expect(passed, fn).to.have.length(callers);
    } else {
      expect(passed, fn).to.deep.equal([label]);
      for (const c of row.filter((c) => !c.passed)) {
        expect(c.detail, `${fn} from ${c.caller}`).to.equal(`reverted AccessManagedUnauthorized(${c.address})`);
      }
    }
    const rightful = label === "PUBLIC" ? rightfulPublic(fn) : [label];
    for (const caller of rightful) {
      expect(row.find((c) => c.caller === caller)!.detail, `${fn} from ${caller}`).to.equal("returned");
    }
  }

  const setAuthority = cells.filter((c) => c.fn === "setAuthority");
  expect(setAuthority).to.have.length(2 * callers);
  expect(setAuthority.filter((c) => c.passed).map((c) => `${c.caller} ${c.path}`)).to.deep.equal(["ADMIN execute"]);
}

/**
 * Closes the target through the manager (`setClosed`: through the council after deployment), asserts that every wired function
 * is then rejected by the manager for every caller, and reopens it: proves each function
 * carries `restricted`, which the matrix cannot see for PUBLIC ones. Changes state while it
 * runs: call it inside a fixture-loaded test.
 */
export async function expectEveryFunctionRestricted<C extends BaseContract, W extends TargetWiring>(
  spec: AccessMatrixSpec<C, W>,
  setClosed: (target: string, closed: boolean) => Promise<unknown>,
): Promise<void> {
  const address = await spec.target.getAddress();
  await setClosed(address, true);
  let cells: MatrixCell[];
  try {
    cells = await probeAccessMatrix(spec);
  } finally {
    await setClosed(address, false);
  }
  const open = cells.filter((c) => c.passed && c.fn in spec.wiring);
  if (open.length > 0) {
    const lines = open.map((c) => `${c.fn} from ${c.caller}: ${c.detail}`);
    expect.fail(
      `with the target closed, ${open.length} call(s) still got through (not restricted?):\n  ${lines.join("\n  ")}`,
    );
  }
}

// ---------------------------------------------------------------- completeness

/**
 * Asserts that the wiring covers every state-changing function of the target's ABI (an
 * unwired one would default to ADMIN) but the manager-only `setAuthority`, names only
 * functions the target has and that can be restricted, and that the manager's
 * `getTargetFunctionRole` is the wired role for each.
 */
export async function expectWiringComplete(
  manager: AccessManager,
  target: BaseContract,
  wiring: TargetWiring,
): Promise<void> {
  const iface = target.interface;
  const address = await target.getAddress();
  const problems: string[] = [];
  const wiredNames = new Set<string>();
  for (const [fn, label] of Object.entries(wiring)) {
    let fragment: FunctionFragment | null;
    try {
      fragment = iface.getFunction(fn);
    } catch (e) {
      problems.push(`the wiring names ${fn}, which is ambiguous: ${(e as Error).message}`);
      continue;
    }
    if (fragment === null) {
      problems.push(`the wiring names ${fn}, which the contract does not have`);
      continue;
    }
    wiredNames.add(fragment.name);
    if (fragment.constant) problems.push(`the wiring names ${fn}, a view function, which cannot be restricted`);
    if (MANAGER_ONLY_FUNCTIONS.includes(fragment.name)) {
      problems.push(
        `the wiring names ${fn}, which only the manager calls: AccessManager requires ADMIN for it whatever its function role`,
      );
      continue;
    }
    const onChain = await manager.getTargetFunctionRole(address, fragment.selector);
    if (onChain !== wiredRole(label)) {
      problems.push(
        `${fn} (${fragment.selector}): the manager requires ${roleLabel(onChain)}, the wiring says ${label}`,
      );
    }
  }
  for (const fn of writeFunctions(iface)) {
    if (!wiredNames.has(fn) && !MANAGER_ONLY_FUNCTIONS.includes(fn))
      problems.push(`${fn} changes state but is not in the wiring (the manager defaults it to ADMIN)`);
  }
  if (problems.length > 0) expect.fail(`wiring of ${address}:\n  ${problems.join("\n  ")}`);
}

/**
 * Reads back from the manager what the deployment wrote for `target` and asserts it is exactly
 * `wiring` (deploy/wiring.ts): the last `TargetFunctionRoleUpdated` of each of the target's
 * selectors names a function the target has with the wired role, no more and no fewer; and the
 * manager's `getTargetFunctionRole` answers the wiring for every state-changing function (the
 * manager-only `setAuthority`, and a proxied target's `initialize`, left at ADMIN). The target is open.
 */
export async function expectWiringReadBack(
  manager: AccessManager,
  target: BaseContract,
  wiring: TargetWiring,
): Promise<void> {
  const address = await target.getAddress();
  // What the deployment wrote: the last TargetFunctionRoleUpdated of each selector of the target.
  const logs = await manager.queryFilter(manager.filters.TargetFunctionRoleUpdated(address));
  expect(logs).to.not.be.empty;
  const bySelector = new Map<string, bigint>();
  for (const log of logs) bySelector.set(log.args.selector, log.args.roleId);
  const deployed: Record<string, string> = {};
  for (const [selector, role] of bySelector) {
    const fragment = target.interface.getFunction(selector);
    if (fragment === null) expect.fail(`the manager wires ${selector}, which ${address} does not have`);
    deployed[fragment.name] = roleLabel(role);
  }
  expect(deployed).to.deep.equal({ ...wiring });

  // And what the manager answers now, function by function, including setAuthority's ADMIN default.
  const answered: Record<string, string> = {};
  target.interface.forEachFunction((fn) => {
    if (!fn.constant) answered[fn.name] = fn.selector;
  });
  for (const [fn, selector] of Object.entries(answered)) {
    const role = await manager.getTargetFunctionRole(address, selector);
    answered[fn] = roleLabel(role);
  }
  // initialize, where the target is behind a proxy, is left at the default too: the proxy called it in its
  // constructor, and it refuses every later call.
  const initialize = hasFunction(target, "initialize") ? { initialize: "ADMIN" } : {};
  expect(answered).to.deep.equal({ ...wiring, setAuthority: "ADMIN", ...initialize });
  expect(await manager.isTargetClosed(address)).to.equal(false);
  for (const [fn, label] of Object.entries(wiring)) {
    expect(wiredRole(label), fn).to.equal(label === "PUBLIC" ? PUBLIC_ROLE : ROLE[label]);
  }
}

/**
 * The signers of the sample deployment (deployWithSamples): ADMIN (the council's address, for probes:
 * it never sends), each department, the first sample organisation of every other kind, and one test
 * account that holds no role.
 */
export function sampleSigners(
  signers: readonly HardhatEthersSigner[],
  council: HardhatEthersSigner,
): {
  admin: HardhatEthersSigner;
  byRole: Map<bigint, HardhatEthersSigner>;
  roleless: HardhatEthersSigner;
  signerOf: (address: string) => HardhatEthersSigner;
} {
  const P: Record<string, string> = DevParameters.Foundation;
  const signerOf = (address: string): HardhatEthersSigner => {
    const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (s === undefined) throw new Error(`${address} is not one of the test accounts`);
    return s;
  };

  const admin = council;
  const byRole = new Map<bigint, HardhatEthersSigner>([[ROLE.ADMIN, admin]]);
  for (const dept of DEPARTMENTS) byRole.set(ROLE[dept.kind], signerOf(P[`${dept.key}Account`]!));
  for (const kind of ORG_KINDS.filter((k) => !byRole.has(ROLE[k.label]))) {
    const sample = Samples.organisations.find((o) => o.kind === kind.label);
    if (sample === undefined) throw new Error(`no sample organisation of kind ${kind.label}`);
    byRole.set(ROLE[kind.label], signerOf(sample.account));
  }
  const known = new Set(
    [signers[0]!.address, admin.address, ...Object.values(P), ...Samples.organisations.map((o) => o.account)].map((a) =>
      a.toLowerCase(),
    ),
  );
  const roleless = signers.find((s) => !known.has(s.address.toLowerCase()));
  if (roleless === undefined) throw new Error("no unused test account left for the roleless signer");
  return { admin, byRole, roleless, signerOf };
}
