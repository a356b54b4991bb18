/**
 * The charity vocabulary: donation channels, purposes of spending and project statuses, with the
 * English and Chinese words people write for them. Codes equal the contract's enums
 * (contracts/interfaces/ICharityLedger.sol).
 */
import { InvalidInputError } from "../errors.js";

/** ICharityLedger.ProjectStatus by code. */
export const PROJECT_STATUSES = ["none", "proposed", "approved", "closed"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const CHANNELS = ["bank", "alipay", "wechat", "cash", "other"] as const;
export const PURPOSES = ["programme", "administrative"] as const;
/** Chinese names of the channels, by code. */
export const CHANNEL_ZH: Readonly<Record<(typeof CHANNELS)[number], string>> = {
  bank: "银行转账",
  alipay: "支付宝",
  wechat: "微信",
  cash: "现金",
  other: "其他",
};
/** English names of the channels, by code. */
export const CHANNEL_EN: Readonly<Record<(typeof CHANNELS)[number], string>> = {
  bank: "Bank transfer",
  alipay: "Alipay",
  wechat: "WeChat Pay",
  cash: "Cash",
  other: "Other",
};

/** A name per channel code (`"0"`: bank…), as the explorer's resources key them. */
export function channelNames(names: Readonly<Record<(typeof CHANNELS)[number], string>>): Record<string, string> {
  return Object.fromEntries(CHANNELS.map((c, i) => [String(i), names[c]]));
}

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
