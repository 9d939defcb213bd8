import snowball from "snowball-stemmers";
import * as stopword from "stopword";
import type { Lang } from "../../language/languages.js";

/**
 * Accents off letters of scripts where they are optional to readers (Latin, Greek, Cyrillic, Arabic vowel marks).
 * In Bengali or Sinhala the vowel signs are marks too, but removing them changes the word: those are kept.
 */
export function stripAccents(s: string): string {
  return s.normalize("NFKD").replace(/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}])\p{M}+/gu, "$1").replace(/^\p{M}+/u, "");
}

/** Lower case, no diacritics (Latin, Greek, Cyrillic й is kept as и), letters and digits only, single spaces. */
export function foldText(s: string): string {
  return stripAccents(s)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ")
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

/** Stop-word lists of the `stopword` package (ISO 639-3 names), folded like the text they are compared with. */
const STOPWORD_LISTS: Partial<Record<Lang, string>> = {
  it: "ita", en: "eng", fr: "fra", es: "spa", ar: "ara", uk: "ukr", ru: "rus", zh: "zho", bn: "ben", tl: "tgl",
  ur: "urd", fa: "fas", so: "som", ro: "ron",
};
const stopwords = new Map<Lang, Set<string>>();
function stopwordsFor(lang: Lang): Set<string> {
  let set = stopwords.get(lang);
  if (!set) {
    const name = STOPWORD_LISTS[lang];
    const list = name ? ((stopword as unknown as Record<string, string[]>)[name] ?? []) : [];
    set = new Set(list.map(foldText).filter(Boolean));
    stopwords.set(lang, set);
  }
  return set;
}

/** The text folded, without the stop words of its language ("from", "and", "my" in English). */
export function withoutStopwords(text: string, lang: Lang): string {
  const stop = stopwordsFor(lang);
  return foldText(text).split(" ").filter((w) => w && !stop.has(w)).join(" ");
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
  const stop = stopwordsFor(lang);
  const out: string[] = [];
  for (const w of foldText(text).split(" ")) {
    if (!w || stop.has(w)) continue;
    for (const t of hanTokens(w)) {
      if ((t.length < 2 && !/\p{Script=Han}/u.test(t)) || stop.has(t)) continue;
      out.push(t);
      if (stemmer) {
        const st = stemmer.stem(t);
        if (st.length >= 3 && st !== t) out.push(`~${st}`);
      }
    }
  }
  return out;
}

/**
 * Pairs of neighbouring terms ("marito_picchia"): they reward a keyword phrase matched as a phrase, so that a word
 * that only appears inside a phrase ("marito" in "mio marito mi picchia") does not pull that service by itself.
 */
export function shingles(text: string, lang: Lang): string[] {
  return shinglesOf(terms(text, lang));
}

/** The same pairs, from terms already computed by `terms()`. */
export function shinglesOf(termList: string[]): string[] {
  const words = termList.filter((t) => !t.startsWith("~") && !/\p{Script=Han}/u.test(t));
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]}_${words[i + 1]}`);
  return out;
}
