/** Options every group of tasks shares. Kept free of imports: task definitions load with the config. */

/** `--from`: the acting organisation's account. */
export const FROM_OPTION = {
  name: "from",
  description: "Address of the acting organisation's account (default: the network's first account)",
  defaultValue: "",
} as const;
