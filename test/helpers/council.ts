/**
 * The council in tests: every privileged change a test makes after deployment goes through it
 * (schedule as a department, the in-process network's clock moved past the delay, execute), with the
 * shared helper of src/governance/council.ts. `probe` is a signer with the council's address for
 * `staticCall` probes only (a call needs no key); it never sends.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import type { Deployment } from "../../src/deployment.js";
import { throughCouncil } from "../../src/governance/council.js";

export interface TestCouncil {
  readonly address: string;
  /** The council's address as a signer, for staticCall probes of what ADMIN may call. */
  readonly probe: HardhatEthersSigner;
  /** Makes the council call `target` with `data` (schedule, delay, execute); resolves once executed. */
  act(target: string, data: string): Promise<{ txHash: string; blockNumber: number }>;
  /** Closes or reopens `target` at the manager through the council. */
  setClosed(target: string, closed: boolean): Promise<void>;
}

export async function testCouncil(connection: NetworkConnection, d: Deployment): Promise<TestCouncil> {
  const address = d.addresses.Council;
  if (address === undefined) throw new Error("this deployment has no council (deploy the Governance module)");
  const proposer = await connection.ethers.getSigner(DevParameters.Governance.councilProposers[0]!);
  const act = (target: string, data: string) => throughCouncil(d, { proposer }, { target, data });
  return {
    address,
    probe: await connection.ethers.getSigner(address),
    act,
    setClosed: async (target, closed) => {
      await act(d.addresses.AccessManager, d.manager.interface.encodeFunctionData("setTargetClosed", [target, closed]));
    },
  };
}
