import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../common.js";
import { keyOf } from "./common.js";

export default async function (a: { idNumber: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { key } = await keyOf(hre, { idNumber: a.idNumber, key: "" });
    console.log(key);
  });
}
