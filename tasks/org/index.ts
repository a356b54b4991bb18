import { ArgumentType } from "hardhat/types/arguments";
import { emptyTask, task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { StatusArgs } from "./status.js";
import { FROM_OPTION } from "../options.js";

/** `org suspend` and `org reinstate` take the same arguments. */
function statusTask(
  name: "suspend" | "reinstate",
  description: string,
  action: () => Promise<{ default: (args: StatusArgs, hre: HardhatRuntimeEnvironment) => Promise<unknown> }>,
) {
  return task(["org", name], description)
    .addPositionalArgument({ name: "account", description: "The organisation's account" })
    .addOption({ name: "reasonFile", description: "Decision document to anchor by its hash", defaultValue: "" })
    .addOption({
      name: "reasonHash",
      description: "Hash of the decision document, if not given as a file",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(action)
    .build();
}

export const orgTasks = [
  emptyTask("org", "Organisations: register, suspend, reinstate, list, show").build(),

  task(["org", "register"], "Register an organisation and grant its role (by the department that admits its kind)")
    .addOption({
      name: "account",
      description: "The organisation's signing account (address)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "kind",
      description:
        "Kind: civil_affairs, charity, recipient, market_regulator, producer, logistics, retailer, inspector, finance, rural_affairs, village, auditor (or 中文名)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "name",
      description: "Public name of the organisation",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "creditCode",
      description: "Unified social credit code (18 characters, 统一社会信用代码)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "metadataFile",
      description: "Registration document to anchor by its keccak256 hash",
      defaultValue: "",
    })
    .addOption({
      name: "metadataHash",
      description: "Hash of the registration document, if not given as a file",
      defaultValue: "",
    })
    .addOption(FROM_OPTION)
    .setAction(() => import("./register.js"))
    .build(),

  statusTask("suspend", "Suspend an active organisation and revoke its role", () => import("./suspend.js")),
  statusTask(
    "reinstate",
    "Reinstate a suspended organisation and grant its role again",
    () => import("./reinstate.js"),
  ),

  task(["org", "list"], "List the registered organisations")
    .addOption({ name: "kind", description: "Only organisations of this kind", defaultValue: "" })
    .addFlag({ name: "json", description: "Print JSON instead of a table" })
    .setAction(() => import("./list.js"))
    .build(),

  task(["org", "show"], "Show one organisation and the roles its account holds")
    .addPositionalArgument({ name: "query", description: "Account address, credit code or exact name" })
    .addFlag({ name: "json", description: "Print JSON" })
    .setAction(() => import("./show.js"))
    .build(),
];
