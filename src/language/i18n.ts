import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import i18next, { type TFunction, type i18n as I18n } from "i18next";
import { LANGUAGES, type Lang } from "./languages.js";
import { fromRoot } from "../root.js";

/** Read from the sources (src/), also when the code runs from dist/. */
const localesDir = fromRoot("src/language/locales");

export type Messages = Record<string, string>;

export function loadLocale(lang: Lang): Messages {
  const path = join(localesDir, `${lang}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Messages) : {};
}

let instance: I18n | undefined;

/** One i18next instance for all bot texts; a missing key falls back to English (the key test forbids that). */
export function i18n(): I18n {
  if (instance) return instance;
  const resources = Object.fromEntries(LANGUAGES.map((l) => [l, { translation: loadLocale(l) }]));
  instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: "it",
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<I18n["init"]>[0]);
  return instance;
}

export function translator(lang: Lang): TFunction {
  return i18n().getFixedT(lang);
}
