import { task } from "hardhat/config";

export const verifyTasks = [
  task(
    "verify-source",
    "Check that every deployed contract's code is this repository's source compiled with its pinned settings (runtime bytecode and metadata hash, byte for byte), with nothing but the repository and a node",
  )
    .addOption({
      name: "implementation",
      description:
        "Implementations behind proxies, as Label=0xaddress, comma-separated (default: read from each proxy's EIP-1967 slot)",
      defaultValue: "",
    })
    .addFlag({ name: "noCompile", description: "Do not run `hardhat build` first (use the artifacts as they are)" })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./verify-source.js"))
    .build(),
];
