import { emptyTask, task } from "hardhat/config";

import { FROM_OPTION } from "../options.js";

export const governanceTasks = [
  emptyTask(
    "governance",
    "The council (timelock holding ADMIN): schedule, list, execute and cancel rule changes; every change waits the council's public delay",
  ).build(),

  task(["governance", "schedule"], "Schedule a call by the council (as a department's key holding PROPOSER_ROLE)")
    .addPositionalArgument({
      name: "contract",
      description: "Target: manager, registry, charity, trace, relief, brake, council, or an address",
    })
    .addPositionalArgument({ name: "function", description: "Function name, e.g. setTargetClosed, register, reopen" })
    .addVariadicArgument({
      name: "args",
      description:
        "Arguments in order: contracts by name, roles by label (FINANCE) or 中文名, selectors as comma-separated function names",
      defaultValue: [],
    })
    .addOption({
      name: "delay",
      description: "Delay in seconds (default and minimum: the council's)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "Print the scheduled operation as JSON" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./schedule.js"))
    .build(),

  task(["governance", "list"], "List the council's operations in words: waiting, ready, executed and cancelled")
    .addFlag({ name: "all", description: "Include executed and cancelled operations" })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./list.js"))
    .build(),

  task(["governance", "execute"], "Execute a ready operation (anyone may, once its delay has passed)")
    .addPositionalArgument({ name: "id", description: "Operation id (or a unique prefix), from governance list" })
    .addFlag({
      name: "wait",
      description: "Wait until it is ready first (a development node's clock is moved forward)",
    })
    .addFlag({ name: "json", description: "Print the result as JSON" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./execute.js"))
    .build(),

  task(["governance", "cancel"], "Cancel a waiting operation (as a department's key holding CANCELLER_ROLE)")
    .addPositionalArgument({ name: "id", description: "Operation id (or a unique prefix), from governance list" })
    .addFlag({ name: "json", description: "Print the result as JSON" })
    .addOption(FROM_OPTION)
    .setAction(() => import("./cancel.js"))
    .build(),
];
