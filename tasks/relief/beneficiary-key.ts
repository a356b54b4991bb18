import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../common.js";
import { keyOf } from "./common.js";

export default async function (a: { idNumber: string; from?: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { key } = await keyOf(hre, { idNumber: a.idNumber, key: "", from: a.from ?? "" });
    console.log(key);
  });
}
