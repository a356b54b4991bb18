/**
 * Chinese by default, English on request; the choice is kept in localStorage and mirrored in
 * `<html lang>`. All UI text comes from the resource files in `locales/`.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

import { en } from "./locales/en.js";
import { zh } from "./locales/zh.js";

export type Language = "zh" | "en";
const STORAGE_KEY = "zhixin-explorer-lang";

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof zh };
  }
}

function stored(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh";
  } catch {
    return "zh";
  }
}

function applyHtmlLang(lang: string): void {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = i18next.t("app.title");
}

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  try {
    // Also for the server, which draws the first screen of a QR page in the reader's language.
    document.cookie = `zhixin-lang=${lang}; path=/; max-age=31536000; samesite=lax`;
  } catch {
    // cookies refused: first screens stay in Chinese
  }
  void i18next.changeLanguage(lang);
}

export function initI18n(): void {
  void i18next.use(initReactI18next).init({
    resources: { zh: { translation: zh }, en: { translation: en } },
    lng: stored(),
    fallbackLng: "zh",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  i18next.on("languageChanged", applyHtmlLang);
  applyHtmlLang(i18next.language);
}
