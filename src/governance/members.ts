/**
 * Every role's members, replayed from the manager's RoleGranted and RoleRevoked events (read in chunks
 * of at most 5,000 blocks): what anyone can check after a deployment, e.g. that the deployer holds none.
 */
import { queryInChunks } from "../chain.js";
import type { AccessManager } from "../../types/ethers-contracts/index.js";

/** Role id → lower-case member addresses, as of the latest block. */
export async function roleMembersFromEvents(manager: AccessManager, fromBlock = 0): Promise<Map<bigint, Set<string>>> {
  const provider = manager.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("the manager is not connected to a node");
  const head = await provider.getBlockNumber();
  const granted = await queryInChunks(
    (a, b) => manager.queryFilter(manager.filters.RoleGranted(), a, b),
    fromBlock,
    head,
  );
  const revoked = await queryInChunks(
    (a, b) => manager.queryFilter(manager.filters.RoleRevoked(), a, b),
    fromBlock,
    head,
  );
  const events = [...granted, ...revoked].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const members = new Map<bigint, Set<string>>();
  for (const e of events) {
    const role = e.args.roleId;
    const set = members.get(role) ?? new Set<string>();
    if (e.eventName === "RoleGranted") set.add(e.args.account.toLowerCase());
    else set.delete(e.args.account.toLowerCase());
    members.set(role, set);
  }
  return members;
}
