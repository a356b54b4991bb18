/**
 * Chain id of the local Anvil node started by `npm run chain` (江门 area code 0750).
 * `ZHIXIN_LOCAL_CHAIN_ID` overrides it, so that tests can run their own node beside a developer's.
 */
export const LOCAL_CHAIN_ID = Number(process.env.ZHIXIN_LOCAL_CHAIN_ID ?? 750);
/** JSON-RPC URL of the local node; `ZHIXIN_LOCAL_RPC_URL` overrides it. */
export const LOCAL_RPC_URL = process.env.ZHIXIN_LOCAL_RPC_URL ?? "http://127.0.0.1:8545";
/** Chain id of Hardhat's in-process network. */
export const HARDHAT_CHAIN_ID = 31337;
