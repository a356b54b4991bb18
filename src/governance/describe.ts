/**
 * Council operations in words, in Chinese and English: what a scheduled call will do once executed
 * ("grant FINANCE to 台山市财政局 0x…", "close the charity ledger"). Decoded with the typechain
 * interfaces of the contract the call targets; used by the governance CLI, the indexer and the tests.
 */
import { type Interface, type Result, getAddress, id } from "ethers";

import type { FoundationAddresses } from "../deployment.js";
import { ROLES, SEALED_ROLE, roleLabel } from "../roles.js";
import { GOVERNANCE_INTERFACES, INTERFACES } from "../contracts.js";

/** A sentence in both languages. */
export interface Words {
  readonly en: string;
  readonly zh: string;
}

/** A decoded council call: the target contract, the function and the sentence. */
export interface DescribedCall extends Words {
  /** Contract name in the deployment (`CharityLedger`, `AccessManager`…), undefined for an unknown address. */
  readonly contract?: string;
  /** Function name, undefined when the calldata does not decode. */
  readonly fn?: string;
}

/** Readable names of the deployment's contracts. */
const CONTRACT_WORDS: Readonly<Record<keyof FoundationAddresses, Words>> = {
  AccessManager: { en: "the permission hub", zh: "权限中心" },
  OrgRegistry: { en: "the organisation registry", zh: "机构登记合约" },
  CharityLedger: { en: "the charity ledger", zh: "慈善捐赠账本" },
  TraceLedger: { en: "the traceability ledger", zh: "产品追溯账本" },
  TraceUnits: { en: "the serialised items and pallets contract", zh: "序列化单品与托盘合约" },
  ReliefLedger: { en: "the poverty-relief ledger", zh: "扶贫资金账本" },
  KeyServiceAnchor: { en: "the key service's log anchor", zh: "密钥服务日志锚定合约" },
  PublicNames: { en: "the public names", zh: "公开名称合约" },
  ReliefReceipts: { en: "the relief payments' receipt codes", zh: "扶贫资金回执码合约" },
  DocumentDigests: { en: "the documents' digests", zh: "文件摘要绑定合约" },
  Council: { en: "the council", zh: "联盟理事会" },
  EmergencyBrake: { en: "the emergency brake", zh: "紧急制动合约" },
};

const ALL_INTERFACES: Readonly<Record<keyof FoundationAddresses, Interface>> = {
  ...INTERFACES,
  ...GOVERNANCE_INTERFACES,
};

function roleWords(id: bigint): Words {
  if (id === SEALED_ROLE) return { en: "SEALED (held by nobody)", zh: "封存角色（无人持有）" };
  const r = ROLES.find((x) => x.id === id);
  return { en: roleLabel(id), zh: r?.zh ?? roleLabel(id) };
}

function seconds(s: bigint): Words {
  const n = Number(s);
  if (n % 86_400 === 0 && n > 0) return { en: `${n / 86_400} d`, zh: `${n / 86_400} 天` };
  if (n % 3_600 === 0 && n > 0) return { en: `${n / 3_600} h`, zh: `${n / 3_600} 小时` };
  return { en: `${n} s`, zh: `${n} 秒` };
}

/** Names the contract at `address` in the deployment, or undefined. */
export function contractAt(addresses: FoundationAddresses, address: string): keyof FoundationAddresses | undefined {
  const a = address.toLowerCase();
  return (Object.keys(addresses) as (keyof FoundationAddresses)[]).find((k) => addresses[k]?.toLowerCase() === a);
}

/**
 * Describes a council call. `nameOf` gives an organisation's registered name (undefined when it is none).
 */
export function describeCall(
  addresses: FoundationAddresses,
  target: string,
  data: string,
  nameOf: (account: string) => string | undefined = () => undefined,
): DescribedCall {
  const account = (a: string): Words => {
    const c = contractAt(addresses, a);
    if (c !== undefined)
      return { en: `${CONTRACT_WORDS[c].en} ${getAddress(a)}`, zh: `${CONTRACT_WORDS[c].zh} ${getAddress(a)}` };
    const name = nameOf(a);
    return name === undefined
      ? { en: getAddress(a), zh: getAddress(a) }
      : { en: `${name} ${getAddress(a)}`, zh: `${name} ${getAddress(a)}` };
  };
  const contractName = contractAt(addresses, target);
  const where: Words =
    contractName !== undefined
      ? CONTRACT_WORDS[contractName]
      : { en: `the contract at ${getAddress(target)}`, zh: `合约 ${getAddress(target)}` };
  const unknown = (fn?: string): DescribedCall => ({
    ...(contractName !== undefined ? { contract: contractName } : {}),
    ...(fn !== undefined ? { fn } : {}),
    en: `call ${fn ?? data.slice(0, 10)} on ${where.en}`,
    zh: `调用${where.zh}的 ${fn ?? data.slice(0, 10)}`,
  });
  if (contractName === undefined) return unknown();
  const iface = ALL_INTERFACES[contractName];
  let parsed: { name: string; args: Result } | null = null;
  try {
    parsed = iface.parseTransaction({ data });
  } catch {
    parsed = null;
  }
  if (parsed === null) return unknown();
  const fn = parsed.name;
  const a = parsed.args;
  const words = sentence(contractName, fn, a, account, (selector, target) => {
    const c = contractAt(addresses, target);
    const f = c === undefined ? null : ALL_INTERFACES[c].getFunction(selector);
    return f?.name ?? selector;
  });
  return words === undefined ? unknown(fn) : { contract: contractName, fn, ...words };
}

function sentence(
  contract: keyof FoundationAddresses,
  fn: string,
  a: Result,
  account: (a: string) => Words,
  functionName: (selector: string, target: string) => string,
): Words | undefined {
  const target = (t: string) => account(t);
  if (contract === "AccessManager") {
    switch (fn) {
      case "grantRole": {
        const r = roleWords(a[0] as bigint);
        const who = account(a[1] as string);
        const d = a[2] as bigint;
        const delay =
          d === 0n
            ? { en: "", zh: "" }
            : { en: ` with execution delay ${seconds(d).en}`, zh: `（执行延迟 ${seconds(d).zh}）` };
        return { en: `grant ${r.en} to ${who.en}${delay.en}`, zh: `授予 ${who.zh} ${r.zh} 角色${delay.zh}` };
      }
      case "revokeRole": {
        const r = roleWords(a[0] as bigint);
        const who = account(a[1] as string);
        return { en: `revoke ${r.en} from ${who.en}`, zh: `撤销 ${who.zh} 的 ${r.zh} 角色` };
      }
      case "setRoleAdmin": {
        const r = roleWords(a[0] as bigint);
        const admin = roleWords(a[1] as bigint);
        return { en: `make ${admin.en} the admin of ${r.en}`, zh: `将 ${r.zh} 的管理角色改为 ${admin.zh}` };
      }
      case "setRoleGuardian": {
        const r = roleWords(a[0] as bigint);
        const g = roleWords(a[1] as bigint);
        return { en: `make ${g.en} the guardian of ${r.en}`, zh: `将 ${r.zh} 的守护角色改为 ${g.zh}` };
      }
      case "setGrantDelay": {
        const r = roleWords(a[0] as bigint);
        const d = seconds(a[1] as bigint);
        return { en: `make new grants of ${r.en} wait ${d.en}`, zh: `新授予的 ${r.zh} 角色等待 ${d.zh} 后生效` };
      }
      case "setTargetAdminDelay": {
        const t = target(a[0] as string);
        const d = seconds(a[1] as bigint);
        return {
          en: `make changes to ${t.en} wait ${d.en} at the permission hub`,
          zh: `对 ${t.zh} 的权限变更须等待 ${d.zh}`,
        };
      }
      case "setTargetFunctionRole": {
        const t = a[0] as string;
        const fns = (a[1] as string[]).map((s) => functionName(s, t)).join(", ");
        const r = roleWords(a[2] as bigint);
        return { en: `let ${r.en} call ${fns} of ${target(t).en}`, zh: `允许 ${r.zh} 调用 ${target(t).zh} 的 ${fns}` };
      }
      case "setTargetClosed": {
        const t = target(a[0] as string);
        return a[1] === true
          ? { en: `close ${t.en}`, zh: `关闭 ${t.zh}` }
          : { en: `reopen ${t.en}`, zh: `重新开放 ${t.zh}` };
      }
      case "updateAuthority": {
        const t = target(a[0] as string);
        const to = account(a[1] as string);
        return { en: `move ${t.en} to the authority ${to.en}`, zh: `将 ${t.zh} 的权限中心改为 ${to.zh}` };
      }
      case "labelRole": {
        const r = roleWords(a[0] as bigint);
        return { en: `label ${r.en} "${a[1] as string}"`, zh: `将角色 ${r.zh} 标注为“${a[1] as string}”` };
      }
    }
  }
  if (contract === "OrgRegistry") {
    switch (fn) {
      case "register": {
        const r = roleWords(BigInt(a[1] as bigint));
        const acct = getAddress(a[0] as string);
        return {
          en: `register ${a[2] as string} ${acct} as ${r.en} (credit code ${a[3] as string}), granting ${r.en}`,
          zh: `登记 ${a[2] as string} ${acct} 为 ${r.zh}（统一社会信用代码 ${a[3] as string}），授予 ${r.zh} 角色`,
        };
      }
      case "suspend": {
        const who = account(a[0] as string);
        return { en: `suspend ${who.en}`, zh: `暂停 ${who.zh}` };
      }
      case "reinstate": {
        const who = account(a[0] as string);
        return { en: `reinstate ${who.en}`, zh: `恢复 ${who.zh}` };
      }
    }
  }
  if (contract === "EmergencyBrake") {
    switch (fn) {
      case "reopen": {
        const t = target(a[0] as string);
        return { en: `reopen ${t.en}`, zh: `重新开放 ${t.zh}` };
      }
      case "setGuardian": {
        const t = target(a[0] as string);
        const r = roleWords(a[1] as bigint);
        return { en: `make ${r.en} the guardian of ${t.en}`, zh: `由 ${r.zh} 守护 ${t.zh}（可紧急关闭）` };
      }
    }
  }
  if (contract === "Council") {
    switch (fn) {
      case "updateDelay": {
        const d = seconds(a[0] as bigint);
        return { en: `change the council's delay to ${d.en}`, zh: `将理事会的等待期改为 ${d.zh}` };
      }
      case "grantRole":
      case "revokeRole": {
        const who = account(a[1] as string);
        const role = COUNCIL_ROLE_WORDS[a[0] as string] ?? { en: a[0] as string, zh: a[0] as string };
        return fn === "grantRole"
          ? { en: `make ${who.en} a council ${role.en}`, zh: `使 ${who.zh} 成为理事会${role.zh}` }
          : { en: `remove ${who.en} as council ${role.en}`, zh: `取消 ${who.zh} 的理事会${role.zh}资格` };
      }
    }
  }
  if (contract === "ReliefLedger" && fn === "defineAttestation") {
    const r = roleWords(a[1] as bigint);
    return {
      en: `define relief attestation kind ${a[0] as bigint}, attested by ${r.en}`,
      zh: `定义扶贫认定类型 ${a[0] as bigint}，由 ${r.zh} 认定`,
    };
  }
  return undefined;
}

/** TimelockController's role ids (keccak256 of their names), in words. */
const COUNCIL_ROLE_WORDS: Readonly<Record<string, Words>> = {
  [id("PROPOSER_ROLE")]: { en: "proposer", zh: "提议人" },
  [id("EXECUTOR_ROLE")]: { en: "executor", zh: "执行人" },
  [id("CANCELLER_ROLE")]: { en: "canceller", zh: "否决人" },
};
