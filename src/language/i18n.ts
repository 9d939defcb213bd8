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

const fixed = new Map<Lang, TFunction>();
/**
 * The bot's texts in one language: one function per language, made once. A text without placeholders is looked up
 * once and kept (the resources never change while the server runs): i18next copies its whole options object on every
 * call, and a turn makes dozens of them.
 */
export function translator(lang: Lang): TFunction {
  let t = fixed.get(lang);
  if (!t) {
    const base = i18n().getFixedT(lang);
    const plain = new Map<string, string>();
    t = ((key: unknown, ...rest: unknown[]) => {
      if (typeof key !== "string" || rest.length > 0) return (base as unknown as (...a: unknown[]) => string)(key, ...rest);
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = base(key)));
      return text;
    }) as unknown as TFunction;
    fixed.set(lang, t);
  }
  return t;
}
