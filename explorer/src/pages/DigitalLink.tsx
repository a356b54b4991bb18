/**
 * GS1 Digital Link resolution: `/01/<GTIN>/10/<lot>` (what QR codes on boxes hold) opens the batch's
 * page, `/01/<GTIN>` the product's batches (a search by its GTIN-14). GTIN-8/12/13 are padded to 14
 * digits; a GTIN with a wrong check digit or a lot the ledger cannot hold is "not found".
 */
import { Navigate, useParams } from "react-router-dom";

import { PAGES } from "../../../src/indexer/routes.js";
import { batchIdOf, validGs1 } from "../../../src/trace/vocabulary.js";
import { NotFound } from "./NotFound.js";

function gtin14(raw: string): string | undefined {
  return /^(\d{8}|\d{12,14})$/.test(raw) && validGs1(raw) ? raw.padStart(14, "0") : undefined;
}

export function DigitalLinkLot() {
  const { gtin = "", lot = "" } = useParams();
  const g = gtin14(gtin);
  if (g === undefined) return <NotFound />;
  let id: string;
  try {
    id = batchIdOf(g, lot);
  } catch {
    return <NotFound />;
  }
  return <Navigate replace to={PAGES.batch(id)} />;
}

export function DigitalLinkProduct() {
  const { gtin = "" } = useParams();
  const g = gtin14(gtin);
  if (g === undefined) return <NotFound />;
  return <Navigate replace to={PAGES.productBatches(g)} />;
}
