import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";

export const explorerTasks = [
  task(
    "explorer",
    "Index the deployment's events into SQL (PGlite, or PostgreSQL when DATABASE_URL is set) and serve the explorer and its JSON API, following the chain until Ctrl-C",
  )
    .addOption({
      name: "db",
      description:
        "Folder of the embedded PGlite database (default .zhixin/index/chain-<id>); ignored when DATABASE_URL is set",
      defaultValue: "",
    })
    .addOption({ name: "host", description: "Address to listen on", defaultValue: "127.0.0.1" })
    .addOption({
      name: "port",
      description: "Port to listen on (0: any free port)",
      type: ArgumentType.INT,
      defaultValue: 8080,
    })
    .addOption({
      name: "rateLimit",
      description:
        "API requests per minute per client address (pages and files are not counted; 0: ZHIXIN_EXPLORER_RATE_LIMIT or 3000)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "fromBlock",
      description: "First block to read (the deployment's first block)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "range",
      description: "Most blocks per eth_getLogs call (at most 5000; fewer where the chain is dense)",
      type: ArgumentType.INT,
      defaultValue: 5000,
    })
    .addOption({
      name: "poll",
      description: "Milliseconds between polls of the node",
      type: ArgumentType.INT,
      defaultValue: 1000,
    })
    .addFlag({ name: "reset", description: "Empty the index first and read the chain again" })
    .addFlag({ name: "once", description: "Catch up with the chain, print the totals and exit (no server)" })
    .setAction(() => import("./serve.js"))
    .build(),
];
