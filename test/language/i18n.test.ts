import { describe, it, expect } from "vitest";
import { LANGUAGES } from "../../src/language/languages.js";
import { loadLocale, translator } from "../../src/language/i18n.js";

const reference = loadLocale("en");
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("bot texts", () => {
  it.each(LANGUAGES)("%s has every key, with the same placeholders, and nothing empty", (lang) => {
    const messages = loadLocale(lang);
    const missing = Object.keys(reference).filter((k) => !(k in messages));
    expect(missing).toEqual([]);
    const extra = Object.keys(messages).filter((k) => !(k in reference));
    expect(extra).toEqual([]);
    for (const [k, v] of Object.entries(messages)) {
      expect(v.trim().length, `${lang}.${k}`).toBeGreaterThan(0);
      expect(placeholders(v), `${lang}.${k}`).toEqual(placeholders(reference[k]!));
    }
  });

  it.each(LANGUAGES.filter((l) => l !== "en"))("%s greeting is really translated", (lang) => {
    expect(translator(lang)("greeting")).not.toBe(reference.greeting);
  });

  it("says the numbers of emergencies the same in every language", () => {
    for (const lang of LANGUAGES) expect(translator(lang)("emergency_line"), lang).toContain("112");
  });
});
