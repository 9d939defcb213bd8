/** The 18 languages the bot speaks. Italian is the reference language of the knowledge base. */
export const LANGUAGES = [
  "it", "en", "fr", "es", "ar", "uk", "ru", "zh", "bn",
  "tl", "si", "ur", "fa", "ps", "so", "ti", "sq", "ro",
] as const;

export type Lang = (typeof LANGUAGES)[number];

export const RTL_LANGUAGES: ReadonlySet<Lang> = new Set<Lang>(["ar", "ur", "fa", "ps"]);

/** Names of each language in itself, for the language switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  it: "Italiano", en: "English", fr: "Français", es: "Español", ar: "العربية",
  uk: "Українська", ru: "Русский", zh: "中文", bn: "বাংলা", tl: "Tagalog",
  si: "සිංහල", ur: "اردو", fa: "دری / فارسی", ps: "پښتو", so: "Soomaali",
  ti: "ትግርኛ", sq: "Shqip", ro: "Română",
};

export function isLang(x: unknown): x is Lang {
  return typeof x === "string" && (LANGUAGES as readonly string[]).includes(x);
}

export function textDirection(lang: Lang): "rtl" | "ltr" {
  return RTL_LANGUAGES.has(lang) ? "rtl" : "ltr";
}
