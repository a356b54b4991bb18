import { ArgumentType } from "hardhat/types/arguments";
import { task } from "hardhat/config";

import { FROM_OPTION } from "../options.js";

export const keyServiceTasks = [
  task(
    "keyservice",
    "Run the beneficiary-key service: the one holder of the consortium secret (ZHIXIN_RELIEF_SECRET, from the keystore), answering signed requests of registered villages and departments, logging every request in a hash chain anchored on chain, until Ctrl-C",
  )
    .addOption({ name: "host", description: "Address to listen on", defaultValue: "127.0.0.1" })
    .addOption({
      name: "port",
      description: "Port to listen on (0: any free port)",
      type: ArgumentType.INT,
      defaultValue: 8070,
    })
    .addOption({
      name: "db",
      description: "Folder of the embedded PGlite storage (default .zhixin/keyservice/chain-<id>)",
      defaultValue: "",
    })
    .addOption({
      ...FROM_OPTION,
      description:
        "The running department's account, which anchors the log (holds the anchor's role, RURAL_AFFAIRS; default: the network's first account)",
    })
    .addOption({
      name: "anchorInterval",
      description: "Seconds between anchors of the log's head, when it grew (0: only on demand)",
      type: ArgumentType.INT,
      defaultValue: 3600,
    })
    .addOption({
      name: "requestsPerMinute",
      description: "Requests per organisation per minute",
      type: ArgumentType.INT,
      defaultValue: 30,
    })
    .addOption({
      name: "keysPerHour",
      description: "Keys and household hashes per organisation per hour",
      type: ArgumentType.INT,
      defaultValue: 20_000,
    })
    .addOption({
      name: "window",
      description: "Seconds a signed request's timestamp may be away from this clock",
      type: ArgumentType.INT,
      defaultValue: 120,
    })
    .setAction(() => import("./serve.js"))
    .build(),

  task(
    ["keyservice", "audit"],
    "Check a key service's request log: its hash chain, and its head against the anchor on chain (needs nothing but the service's URL and a node)",
  )
    .addOption({
      name: "url",
      description: "The key service (default ZHIXIN_KEY_SERVICE_URL)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./audit.js"))
    .build(),

  task(["keyservice", "anchor"], "Ask the key service to anchor its log's head on chain now (a signed request)")
    .addOption({
      name: "url",
      description: "The key service (default ZHIXIN_KEY_SERVICE_URL)",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./anchor.js"))
    .build(),
];
