import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { enumWord } from "../../../src/abi-labels.js";
import type { ArgValue } from "../../../src/indexer/api-types.js";
import { AbiName } from "./AbiName.js";
import { argKind, asciiOf } from "../decode.js";
import { formatQuantity, formatYuan, isAddress, isHash, isIntegerString } from "../format.js";
import { Addr } from "./Addr.js";
import { Hash, Place } from "./Hash.js";
import { Yuan } from "./Stat.js";
import { useRecord } from "../app-data.js";

/** A code argument as text; a product code with its producer's name for it. */
function CodeValue({ hex, text }: { hex: string; text: string }) {
  const named = useRecord(hex);
  return named?.kind === "product" && named.name !== undefined ? (
    <span title={hex}>
      {named.name} <code className="muted">{text}</code>
    </span>
  ) : (
    <code title={hex}>{text}</code>
  );
}

function Value({ contract, name, value }: { contract: string; name: string; value: ArgValue }) {
  const { t, i18n } = useTranslation();
  if (typeof value === "boolean") return <span>{value ? t("common.yes") : t("common.no")}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">[ ]</span>;
    return (
      <ol className="arg-list">
        {value.map((v, i) => (
          <li key={i}>
            <Value contract={contract} name={name} value={v} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === "object") return <Args contract={contract} args={value} nested />;
  const word = enumWord(contract, name, value, i18n.language === "en" ? "en" : "zh");
  if (word !== undefined) return <span title={value}>{word}</span>;
  const kind = argKind(contract, name);
  if (kind === "money" && isIntegerString(value)) {
    return (
      <span className="money" title={t("common.fen", { fen: value })}>
        <Yuan text={formatYuan(value)} />
      </span>
    );
  }
  if (kind === "quantity" && isIntegerString(value)) return <span title={value}>{formatQuantity(value)}</span>;
  if (kind === "code") {
    const text = asciiOf(value);
    if (text !== undefined) return <CodeValue hex={value} text={text} />;
  }
  // A GLN-13 location: 13 digits, leading zeros kept (a number on chain).
  if ((name === "location" || name === "gln") && isIntegerString(value) && value !== "0")
    return <Place gln={value.padStart(13, "0")} />;
  if (isAddress(value)) return <Addr address={value} />;
  if (isHash(value)) return <Hash value={value} to={`/search?q=${value}`} />;
  return <span className="break">{value}</span>;
}

/** Decoded arguments by name, in declaration order. */
export function Args({
  contract,
  args,
  nested = false,
}: {
  contract: string;
  args: Record<string, ArgValue>;
  nested?: boolean;
}) {
  const { t } = useTranslation();
  const entries = Object.entries(args);
  if (entries.length === 0) return <span className="muted">{t("common.none")}</span>;
  return (
    <table className={nested ? "args nested" : "args"}>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <AbiName kind="arg" contract={contract} name={name} />
            </th>
            <td>
              <Value contract={contract} name={name} value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A link to a transaction. */
export function TxLink({ hash }: { hash: string }) {
  return <Hash value={hash} to={`/tx/${hash}`} />;
}

/** A link to a block. */
export function BlockLink({ number }: { number: number }) {
  return <Link to={`/block/${number}`}>#{number}</Link>;
}
