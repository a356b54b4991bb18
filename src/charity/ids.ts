/** Identifiers of the charity ledger, computed off chain exactly as the contract does. */
import { AbiCoder, type BytesLike, id as keccakText, isHexString, keccak256 } from "ethers";

import { InvalidInputError } from "../credit-code.js";

/** A project is named by a public code (e.g. `JM-FLOOD-2026`); its id is keccak256 of the code. */
export function projectIdOf(codeOrId: string): string {
  const v = codeOrId.trim();
  if (v === "") throw new InvalidInputError("project", codeOrId, "must be a project code or a 0x id");
  if (isHexString(v, 32)) return v.toLowerCase();
  return keccakText(v);
}

/** keccak256 of an external reference (bank transaction id, receipt number). */
export function refHashOf(ref: string): string {
  const v = ref.trim();
  if (v === "") throw new InvalidInputError("ref", ref, "must not be empty");
  return keccakText(v);
}

/** A donation's id: keccak256(abi.encode(charity, refHash)), as `CharityLedger.donationId`. */
export function donationIdOf(charity: string, refHash: BytesLike): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [charity, refHash]));
}

export const CHANNELS = ["bank", "alipay", "wechat", "cash", "other"] as const;
export const PURPOSES = ["programme", "administrative"] as const;

const CHANNEL_ALIASES: Readonly<Record<string, number>> = {
  bank: 0,
  银行: 0,
  转账: 0,
  银行转账: 0,
  alipay: 1,
  支付宝: 1,
  wechat: 2,
  weixin: 2,
  微信: 2,
  微信支付: 2,
  cash: 3,
  现金: 3,
  other: 4,
  其他: 4,
  其它: 4,
  "": 4,
};

/** The channel (ICharityLedger.Channel) a person wrote, in English or Chinese; empty means other. */
export function channelOf(text: string): number | undefined {
  return CHANNEL_ALIASES[text.normalize("NFKC").toLowerCase().replace(/\s+/g, "")];
}

/** Parses a channel, refusing an unknown one with the field and value named. */
export function parseChannel(text: string): number {
  const v = channelOf(text);
  if (v === undefined) throw new InvalidInputError("channel", text, `must be one of ${CHANNELS.join(", ")}`);
  return v;
}

/** Parses a purpose: programme (项目) or administrative (管理). */
export function parsePurpose(text: string): number {
  const t = text.trim().toLowerCase();
  if (["programme", "program", "项目", "项目支出"].includes(t)) return 0;
  if (["administrative", "admin", "管理", "管理费用"].includes(t)) return 1;
  throw new InvalidInputError("purpose", text, "must be programme or administrative");
}
