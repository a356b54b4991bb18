/** GS1 identifiers in EPCIS: class-level EPCs with a lot (LGTIN, Digital Link) and locations (SGLN, GLN), both ways. */
import { InvalidInputError } from "../../errors.js";
import { encodeCode, gs1CheckDigit, validGs1 } from "../vocabulary.js";
import type { ExportEpcisOptions } from "./export.js";
import { EpcisError, ZX_NAMESPACE, epcisNamespace, inNamespace } from "./types.js";

function decodePct(s: string, path: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EpcisError(path, `has a malformed percent escape in ${JSON.stringify(s)}`, s);
  }
}

export function code(field: "product" | "lot", value: string, path: string): string {
  try {
    encodeCode(field, value);
  } catch (e) {
    if (e instanceof InvalidInputError) {
      throw new EpcisError(path, `${field} code ${JSON.stringify(value)} ${e.problem} (the ledger's limit)`, value);
    }
    throw e;
  }
  return value;
}

/** A class-level identifier with a lot → product (GTIN-14) and lot codes. */
export function parseEpcClass(uri: string, path = "epcClass"): { productCode: string; lotCode: string } {
  const v = uri.trim();
  const own = inNamespace(v);
  if (own !== undefined && own.rest.startsWith("class/")) {
    const m = /^([^/]+)\/([^/]+)$/.exec(own.rest.slice(6));
    if (m === null) throw new EpcisError(path, `must be ${own.ns}class/<product>/<lot>, got ${JSON.stringify(v)}`, v);
    return {
      productCode: code("product", decodePct(m[1]!, path), path),
      lotCode: code("lot", decodePct(m[2]!, path), path),
    };
  }
  const lgtin = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/.exec(v);
  if (lgtin !== null) {
    const [, cp, ir, lot] = lgtin as unknown as [string, string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + ir.length !== 13) {
      throw new EpcisError(
        path,
        "an LGTIN needs a 6 to 12 digit company prefix and an indicator plus item reference, 13 digits together",
        v,
      );
    }
    const body = ir[0]! + cp + ir.slice(1);
    return { productCode: body + gs1CheckDigit(body), lotCode: code("lot", decodePct(lot, path), path) };
  }
  if (/^https?:\/\//.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new EpcisError(path, `is not a valid URI: ${JSON.stringify(v)}`, v);
    }
    const segs = url.pathname.split("/").filter((s) => s !== "");
    const i = segs.indexOf("01");
    if (i >= 0 && segs[i + 2] === "10" && segs[i + 3] !== undefined) {
      const gtin = segs[i + 1]!;
      if (!/^(\d{8}|\d{12,14})$/.test(gtin) || !validGs1(gtin)) {
        throw new EpcisError(path, `GTIN ${gtin} in the Digital Link is not a GTIN with a valid check digit`, v);
      }
      if (segs.length > i + 4) {
        throw new EpcisError(path, "identifies more than a lot (e.g. a serial number): the ledger tracks lots", v);
      }
      return { productCode: gtin.padStart(14, "0"), lotCode: code("lot", decodePct(segs[i + 3]!, path), path) };
    }
  }
  throw new EpcisError(
    path,
    `must identify a lot: urn:epc:class:lgtin:<companyPrefix>.<indicator+itemRef>.<lot> or a GS1 Digital Link .../01/<GTIN>/10/<lot>, got ${JSON.stringify(v)}`,
    v,
  );
}

/** A location identifier → GLN-13 and an extension ("" for none). */
export function parseLocationId(uri: string, path = "id"): { gln: bigint; extension: string } {
  const v = uri.trim();
  const sgln = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(v);
  if (sgln !== null) {
    const [, cp, ref, ext] = sgln as unknown as [string, string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + ref.length !== 12) {
      throw new EpcisError(
        path,
        "an SGLN needs a 6 to 12 digit company prefix and a location reference, 12 digits together",
        v,
      );
    }
    const extension = decodePct(ext, path);
    return { gln: BigInt(cp + ref + gs1CheckDigit(cp + ref)), extension: extension === "0" ? "" : extension };
  }
  if (/^https?:\/\//.test(v)) {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    const segs = url?.pathname.split("/").filter((s) => s !== "") ?? [];
    const i = segs.indexOf("414");
    if (i >= 0 && segs[i + 1] !== undefined) {
      const gln = segs[i + 1]!;
      if (!/^\d{13}$/.test(gln) || !validGs1(gln)) {
        throw new EpcisError(path, `GLN ${gln} in the Digital Link is not 13 digits with a valid check digit`, v);
      }
      let extension = "";
      if (segs[i + 2] === "254" && segs[i + 3] !== undefined) extension = decodePct(segs[i + 3]!, path);
      return { gln: BigInt(gln), extension };
    }
  }
  throw new EpcisError(path, `is not a GLN (urn:epc:id:sgln:... or a Digital Link .../414/<GLN>)`, v);
}

/** eventTime (with its own offset, else eventTimeZoneOffset) → unix seconds. */
function escapeEpc(s: string): string {
  return Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9!'()*+,\-.:;=_]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

function prefixLength(opts: ExportEpcisOptions, key: string): number {
  const n =
    typeof opts.companyPrefixLength === "function" ? opts.companyPrefixLength(key) : (opts.companyPrefixLength ?? 7);
  if (!Number.isInteger(n) || n < 6 || n > 12)
    throw new RangeError(`GS1 company prefix length must be 6 to 12, got ${n} for ${key}`);
  return n;
}

/** The class identifier of a lot: LGTIN or Digital Link for a GTIN-14 product code, else a zx IRI. */
export function epcClassOf(productCode: string, lotCode: string, opts: ExportEpcisOptions = {}): string {
  if (/^\d{14}$/.test(productCode) && validGs1(productCode)) {
    if (opts.identifiers === "digital-link") {
      return `https://id.gs1.org/01/${productCode}/10/${encodeURIComponent(lotCode)}`;
    }
    const n = prefixLength(opts, productCode);
    return `urn:epc:class:lgtin:${productCode.slice(1, 1 + n)}.${productCode[0]}${productCode.slice(1 + n, 13)}.${escapeEpc(lotCode)}`;
  }
  return `${opts.namespace ?? epcisNamespace() ?? ZX_NAMESPACE}class/${encodeURIComponent(productCode)}/${encodeURIComponent(lotCode)}`;
}

/** The location identifier of a GLN: SGLN (extension 0) or Digital Link. */
export function locationIdOf(gln: bigint, opts: ExportEpcisOptions = {}): string {
  const g = gln.toString().padStart(13, "0");
  if (!validGs1(g) || g.length !== 13) throw new RangeError(`location ${gln} is not a GLN-13`);
  if (opts.identifiers === "digital-link") return `https://id.gs1.org/414/${g}`;
  const n = prefixLength(opts, g);
  return `urn:epc:id:sgln:${g.slice(0, n)}.${g.slice(n, 12)}.0`;
}
