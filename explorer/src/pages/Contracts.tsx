import { useState } from "react";
import { useTranslation } from "react-i18next";

import { contractZh } from "../../../src/abi-labels.js";
import type { ContractVerification } from "../../../src/verification/types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";

/** One source file: its path and keccak256, its text on demand (as compiled). */
function SourceFileRow({ contract, name, hash }: { contract: string; name: string; hash: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <li data-testid="source-file">
      <code>{name}</code> <code className="muted small">{hash.slice(0, 18)}…</code>{" "}
      <button type="button" className="link" onClick={() => setOpen(!open)}>
        {open ? t("contracts.hide") : t("contracts.show")}
      </button>
      {open && <SourceText contract={contract} file={name} />}
    </li>
  );
}

function SourceText({ contract, file }: { contract: string; file: string }) {
  const text = useResource("contractSource", {}, { contract, file });
  return <Load value={text}>{(s) => <pre className="source">{s.content}</pre>}</Load>;
}

function ContractCard({ c }: { c: ContractVerification }) {
  const { t, i18n } = useTranslation();
  const o = c.settings?.optimizer;
  return (
    <section
      className="card contract-card"
      data-testid="contract"
      data-contract={c.label}
      data-verified={String(c.verified)}
    >
      <h2 title={c.label}>
        {i18n.language === "en"
          ? c.label
          : c.label
              .replace(/^\w+/, (name) => contractZh(name) ?? name)
              .replace(" (proxy)", "（代理合约）")
              .replace(" (implementation)", "（实现合约）")}{" "}
        <span className={`tag ${c.verified ? "ok" : "bad"}`} data-testid="verified-badge">
          {c.verified ? t("contracts.verified") : t("contracts.notVerified")}
        </span>
      </h2>
      <dl className="facts">
        <dt>{t("contracts.address")}</dt>
        <dd>
          <Addr address={c.address} />
        </dd>
        <dt>{t("contracts.contract")}</dt>
        <dd>
          <code>{c.contract}</code> {c.sourceName !== undefined && <code className="muted">{c.sourceName}</code>}
        </dd>
        <dt>{t("contracts.compiler")}</dt>
        <dd>
          <code>solc {c.compiler ?? "?"}</code>
        </dd>
        <dt>{t("contracts.settings")}</dt>
        <dd>
          <code>evm {c.settings?.evmVersion ?? "default"}</code>, {t("contracts.optimizer")}{" "}
          {o?.enabled === true ? t("contracts.on", { runs: o.runs ?? 200 }) : t("contracts.off")}
        </dd>
        <dt>{t("contracts.metadata")}</dt>
        <dd>
          <code className="small">{c.deployedMetadata?.ipfs ?? "—"}</code> /{" "}
          <code className="small">{c.compiledMetadata?.ipfs ?? "—"}</code>
        </dd>
        {c.metadataFile !== undefined && (
          <>
            <dt>{t("contracts.recompiled")}</dt>
            <dd>
              <code className="small">{c.metadataFile.ipfs}</code>{" "}
              <span className={`tag ${c.metadataFile.matchesDeployed ? "ok" : "bad"}`}>
                {c.metadataFile.matchesDeployed ? "=" : "≠"}
              </span>
            </dd>
          </>
        )}
        <dt>{t("contracts.reason")}</dt>
        <dd data-testid="verification-reason" title={c.reason}>
          {i18n.language === "en"
            ? c.reason
            : c.verified
              ? t("contracts.reasonVerified")
              : t("contracts.reasonNotVerified")}
        </dd>
      </dl>
      <details>
        <summary>{t("contracts.sources", { count: c.sources.length })}</summary>
        <ul className="plain">
          {c.sources.map((s) => (
            <SourceFileRow key={s.name} contract={c.contract} name={s.name} hash={s.keccak256} />
          ))}
        </ul>
      </details>
    </section>
  );
}

export function Contracts() {
  const { t } = useTranslation();
  const report = useResource("contractVerification", {});
  return (
    <>
      <h1>{t("contracts.title")}</h1>
      <p className="muted">{t("contracts.intro")}</p>
      <Load value={report}>
        {(r) => (
          <>
            <p className="small muted">
              {t("contracts.checkedAt")} {new Date(r.checkedAt).toLocaleString()}
            </p>
            <div className="cards" data-testid="contracts">
              {r.contracts.map((c) => (
                <ContractCard key={c.label} c={c} />
              ))}
            </div>
          </>
        )}
      </Load>
    </>
  );
}
