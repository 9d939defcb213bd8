import snowball from "snowball-stemmers";
import type { Lang } from "../../language/languages.js";

/** Lower case, no diacritics (Latin, Greek, Cyrillic й is kept as и), letters and digits only, single spaces. */
export function foldText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const STEMMER_NAMES: Partial<Record<Lang, string>> = {
  it: "italian", en: "english", fr: "french", es: "spanish", ro: "romanian", ru: "russian", uk: "russian", ar: "arabic",
};

type Stemmer = { stem(word: string): string };
const stemmers = new Map<Lang, Stemmer>();
function stemmerFor(lang: Lang): Stemmer | undefined {
  const name = STEMMER_NAMES[lang];
  if (!name) return undefined;
  let s = stemmers.get(lang);
  if (!s) {
    s = snowball.newStemmer(name) as Stemmer;
    stemmers.set(lang, s);
  }
  return s;
}

/** Han text has no spaces: index it as overlapping character pairs (and single characters). */
function hanTokens(word: string): string[] {
  const cps = Array.from(word);
  if (!/\p{Script=Han}/u.test(word)) return [word];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    out.push(cps[i]!);
    if (i + 1 < cps.length) out.push(cps[i]! + cps[i + 1]!);
  }
  return out;
}

/**
 * Terms for the lexical index and for queries: folded words, their stem in the given language
 * (so "dormire"/"dormo" meet), and Han bigrams. Stems are marked so they never collide with words.
 */
export function terms(text: string, lang: Lang): string[] {
  const stemmer = stemmerFor(lang);
  const out: string[] = [];
  for (const w of foldText(text).split(" ")) {
    if (!w) continue;
    for (const t of hanTokens(w)) {
      if (t.length < 2 && !/\p{Script=Han}/u.test(t)) continue;
      out.push(t);
      if (stemmer) {
        const st = stemmer.stem(t);
        if (st.length >= 3 && st !== t) out.push(`~${st}`);
      }
    }
  }
  return out;
}
