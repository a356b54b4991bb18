/**
 * A contract's, function's, event's or argument's name as the reader reads it: in Chinese from the
 * contracts' label tables (src/abi-labels.ts), with the name in code as a tooltip; in English the name
 * in code.
 */
import { useTranslation } from "react-i18next";

import { argZh, contractZh, eventZh, functionZh } from "../../../src/abi-labels.js";

type Kind = "contract" | "function" | "event" | "arg";

/** The label of `name` (of `contract`) in the reader's language. */
export function useAbiLabel(): (kind: Kind, contract: string, name?: string) => string {
  const { i18n } = useTranslation();
  return (kind, contract, name = "") => {
    if (i18n.language === "en") return kind === "contract" ? contract : name;
    const zh =
      kind === "contract"
        ? contractZh(contract)
        : kind === "function"
          ? functionZh(contract, name)
          : kind === "event"
            ? eventZh(contract, name)
            : argZh(contract, name);
    return zh ?? (kind === "contract" ? contract : name);
  };
}

export function AbiName({ kind, contract, name }: { kind: Kind; contract: string; name?: string }) {
  const label = useAbiLabel();
  const code = kind === "contract" ? contract : (name ?? "");
  const text = label(kind, contract, name);
  return (
    <span title={text === code ? undefined : code} data-abi={code}>
      {text}
    </span>
  );
}
