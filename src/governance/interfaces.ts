/**
 * Typechain interfaces of the governance contracts (the council's TimelockController and the
 * emergency brake): decoded together with the wired contracts' interfaces.
 */
import type { Interface } from "ethers";

import { EmergencyBrake__factory, TimelockController__factory } from "../../types/ethers-contracts/index.js";

export const GOVERNANCE_INTERFACES = {
  Council: TimelockController__factory.createInterface() as unknown as Interface,
  EmergencyBrake: EmergencyBrake__factory.createInterface() as unknown as Interface,
} as const;
