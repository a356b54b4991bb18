import { keccak256 } from "ethers";
import { useState, type DragEvent, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Hash } from "../components/Hash.js";
import { EventCard } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { isHash } from "../format.js";

/** SHA-256 of `bytes` with the browser's Web Crypto, as 0x-prefixed lower-case hex. */
async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "0x" + [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A pasted digest, with or without 0x, in lower case. */
function normaliseHex(text: string): string {
  const h = text.trim().toLowerCase();
  return h.startsWith("0x") ? h : "0x" + h;
}

/**
 * The records anchoring `hash`, taken as either digest; `fileSha256` is the SHA-256 of the chosen file (computed
 * here), to hold each organisation's binding of this keccak-256 against it.
 */
function Records({ hash, fileSha256 }: { hash: string; fileSha256?: string }) {
  const { t } = useTranslation();
  const records = useResource("documents", { hash });
  return (
    <Load value={records}>
      {(r) => (
        <>
          {r.matched.length > 0 && (
            <p className="small" data-testid="document-matched">
              {r.matched.map((m) => t(`documents.matched.${m}`)).join(" · ")}
            </p>
          )}
          {r.bindings.length > 0 && (
            <div data-testid="document-bindings">
              <h3>{t("documents.bindings")}</h3>
              <ul className="plain">
                {r.bindings.map((b) => {
                  const differs =
                    fileSha256 !== undefined && b.keccak256 === hash && b.sha256 !== fileSha256.toLowerCase();
                  return (
                    <li
                      key={`${b.txHash}:${b.keccak256}`}
                      className={differs || !b.byAnchorer ? "bad" : undefined}
                      data-testid="document-binding"
                      data-anchorer={b.byAnchorer ? "yes" : "no"}
                    >
                      <span className="small">
                        <Addr address={b.by} /> {t("documents.boundBy")}
                      </span>
                      <br />
                      <span className="small">
                        keccak-256 <code>{b.keccak256}</code>
                      </span>
                      <br />
                      <span className="small">
                        SHA-256 <code>{b.sha256}</code>
                      </span>
                      {!b.byAnchorer && <p className="small">{t("documents.notAnchorer")}</p>}
                      {differs && <p className="small">{t("documents.fileShaDiffers")}</p>}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
          {r.records.length === 0 ? (
            <p className="bad" data-testid="document-none">
              {t("documents.none")}
            </p>
          ) : (
            <div data-testid="document-records">
              <p className="ok">{t("documents.found", { count: r.records.length })}</p>
              {r.records.map((e) => (
                <div key={`${e.txHash}:${e.logIndex}:${e.field}`}>
                  <p className="small">
                    {t("documents.field")} <code>{e.field}</code>
                  </p>
                  {e.keccak256 !== r.hash && (
                    <p className="small muted">
                      {t("documents.viaKeccak")} <code>{e.keccak256}</code>
                    </p>
                  )}
                  <EventCard event={e} />
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </Load>
  );
}

export function Documents() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const hash = (params.get("hash") ?? "").toLowerCase();
  const [pasted, setPasted] = useState(hash);
  const [file, setFile] = useState<{ name: string; size: number; sha256: string } | undefined>(undefined);
  const [published, setPublished] = useState("");
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [invalid, setInvalid] = useState(false);

  const show = (h: string) => {
    setParams({ hash: h.toLowerCase() });
    setPasted(h.toLowerCase());
  };
  const hashFile = async (f: File) => {
    setBusy(true);
    setInvalid(false);
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      // Both digests of the same bytes, here in the browser: keccak-256 is what the ledgers anchor, SHA-256
      // what documents are often published with elsewhere.
      setFile({ name: f.name, size: f.size, sha256: await sha256Hex(bytes) });
      show(keccak256(bytes));
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f !== undefined) void hashFile(f);
  };
  const onPaste = (e: FormEvent) => {
    e.preventDefault();
    const h = pasted.trim();
    if (!isHash(h) && !isHash("0x" + h)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setFile(undefined);
    show(isHash(h) ? h : "0x" + h);
  };
  return (
    <>
      <h1>{t("documents.title")}</h1>
      <p className="muted">{t("documents.intro")}</p>
      <label
        className={dragging ? "dropzone dragging" : "dropzone"}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="document-dropzone"
      >
        <span>{busy ? t("documents.hashing") : t("documents.drop")}</span>
        <input
          type="file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f !== undefined) void hashFile(f);
          }}
          data-testid="document-file"
        />
      </label>
      <form className="search" onSubmit={onPaste}>
        <input
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          placeholder={t("documents.hashPlaceholder")}
          aria-label={t("documents.hashLabel")}
          spellCheck={false}
          data-testid="document-hash-input"
        />
        <button type="submit" data-testid="document-hash-submit">
          {t("documents.check")}
        </button>
      </form>
      {invalid && <p className="bad">{t("documents.invalidHash")}</p>}
      <p className="muted small" data-testid="document-sha-note">
        {t("exports.sha.note")}
      </p>
      {isHash(hash) && (
        <section>
          <h2>{t("documents.result")}</h2>
          {file !== undefined && (
            <p className="small muted">{t("documents.file", { name: file.name, size: file.size })}</p>
          )}
          <p>
            {file !== undefined ? "keccak-256: " : t("documents.pasted")} <Hash value={hash} full />
            <span data-testid="document-hash" hidden>
              {hash}
            </span>
          </p>
          {file !== undefined && (
            <>
              <p>
                SHA-256: <code data-testid="document-sha256">{file.sha256}</code>
              </p>
              <form className="search" onSubmit={(e) => e.preventDefault()}>
                <input
                  value={published}
                  onChange={(e) => setPublished(e.target.value)}
                  placeholder={t("exports.sha.placeholder")}
                  aria-label={t("exports.sha.label")}
                  spellCheck={false}
                  data-testid="document-sha256-input"
                />
              </form>
              {published.trim() !== "" && (
                <p
                  className={normaliseHex(published) === file.sha256 ? "ok" : "bad"}
                  data-testid="document-sha256-match"
                >
                  {normaliseHex(published) === file.sha256 ? t("exports.sha.match") : t("exports.sha.mismatch")}
                </p>
              )}
            </>
          )}
          <Records hash={hash} {...(file !== undefined ? { fileSha256: file.sha256 } : {})} />
        </section>
      )}
    </>
  );
}
