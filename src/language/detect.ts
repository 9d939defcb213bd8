import { ELD_ARABIC_SCRIPT, ELD_LATIN, eldFactory } from "./eld.js";
import type { Lang } from "./languages.js";

/**
 * Language of a message: the writing system first (it decides most of our languages on its own),
 * then distinctive letters and words inside a script, then eld restricted to the candidates.
 * No library knows Tigrinya, Pashto or Somali, so those are recognised here by script, letters and words.
 */

export interface Detection {
  lang: Lang;
  /** false for very short or ambiguous text: callers keep the conversation's language then. */
  confident: boolean;
}

const newDetector = await eldFactory();
const latin = newDetector();
latin.setLanguageSubset(ELD_LATIN);
const arabicScript = newDetector();
arabicScript.setLanguageSubset(ELD_ARABIC_SCRIPT);

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

const SOMALI_WORDS = new Set([
  "waxaan", "waxaa", "iyo", "aan", "ma", "waa", "ka", "ku", "caawimaad", "caawin", "guri", "hooy", "meel", "xaggee",
  "halkee", "ilmaha", "carruurta", "lacag", "shaqo", "dhakhtar", "haysto", "seexdo", "baahanahay", "jiro", "waxay",
  "hooyo", "aabe", "magaalada", "sidee", "maxaan", "miyaa", "qof", "xafiiska", "kiro", "gurigayga", "dugsi",
]);
const TAGALOG_HINTS = /\b(ako|ang|mga|po|wala|saan|kailangan|tulong|hindi|ng|sa|akong|namin|bahay|trabaho)\b/g;
const ROMANIAN_HINTS = /[ăâîșşțţ]|\b(nu|unde|sunt|am|și|pentru|ajutor|casă|copii)\b/g;
const ALBANIAN_HINTS = /[ëç]|\b(nuk|kam|ku|të|për|ndihmë|shtëpi|fëmijë|jam|dhe)\b/g;

/** Arabic written in Latin letters ("ana mish 3arfa anam fen"): digits for Arabic sounds, and its commonest words. */
const ARABIZI_WORDS = new Set(["ana", "enta", "enti", "mish", "msh", "fen", "fein", "wein", "leila", "lel", "3ayez", "3ayza", "3arfa", "3aref",
  "ma3andi", "mafi", "mafish", "3andi", "bidi", "baddi", "7abibi", "inshallah", "wallah", "salam", "shukran", "fi", "el", "w", "di", "da"]);
function looksArabizi(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const withDigits = words.filter((w) => /[a-z][2-9]|[2-9][a-z]/.test(w) && /[3725]/.test(w)).length;
  const known = words.filter((w) => ARABIZI_WORDS.has(w)).length;
  return withDigits >= 1 && known >= 2;
}

function detectLatin(text: string): Detection {
  if (looksArabizi(text)) return { lang: "ar", confident: true };
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const somali = words.filter((w) => SOMALI_WORDS.has(w)).length;
  if (somali >= 2 && somali / words.length >= 0.25) return { lang: "so", confident: true };
  const lower = text.toLowerCase();
  const r = latin.detect(text);
  const scores = r.getScores();
  let best = (r.language || "") as Lang | "";
  // Small, strong signals that eld's short-text statistics can miss.
  const hints: [Lang, number][] = [
    ["tl", count(lower, TAGALOG_HINTS)],
    ["ro", count(lower, ROMANIAN_HINTS)],
    ["sq", count(lower, ALBANIAN_HINTS)],
  ];
  for (const [lang, n] of hints) {
    if (n >= 2 && best !== lang && (scores[best] ?? 0) - (scores[lang] ?? 0) < 0.25) best = lang;
  }
  if (!best) return { lang: somali > 0 ? "so" : "it", confident: false };
  const top = scores[best] ?? 0;
  const second = Object.entries(scores).filter(([l]) => l !== best).reduce((m, [, v]) => Math.max(m, v), 0);
  return { lang: best as Lang, confident: words.length >= 3 && top - second > 0.12 };
}

function detectArabicScript(text: string): Detection {
  // Pashto letters never used in Arabic, Persian or Urdu.
  if (count(text, /[ټډړږښګڼۍې]/g) >= 1) return { lang: "ps", confident: true };
  // Urdu letters.
  if (count(text, /[ٹڈڑںےھ]/g) >= 1) return { lang: "ur", confident: true };
  const persianLetters = count(text, /[پچژگکی]/g);
  const arabicOnly = count(text, /[ةىيكإأؤئ]/g);
  const r = arabicScript.detect(text);
  const lang = (r.language as Lang) || (persianLetters > arabicOnly ? "fa" : "ar");
  if (lang === "ar" && persianLetters > arabicOnly + 1) return { lang: "fa", confident: true };
  return { lang, confident: text.length > 12 };
}

export function detectLanguage(input: string): Detection {
  const text = input.normalize("NFC");
  const letters = count(text, /\p{L}/gu);
  if (letters === 0) return { lang: "it", confident: false };
  const share = (re: RegExp) => count(text, re) / letters;
  if (share(/\p{Script=Ethiopic}/gu) > 0.3) return { lang: "ti", confident: true };
  if (share(/\p{Script=Sinhala}/gu) > 0.3) return { lang: "si", confident: true };
  if (share(/\p{Script=Bengali}/gu) > 0.3) return { lang: "bn", confident: true };
  if (share(/\p{Script=Han}/gu) > 0.2) return { lang: "zh", confident: true };
  if (share(/\p{Script=Arabic}/gu) > 0.3) return detectArabicScript(text);
  if (share(/\p{Script=Cyrillic}/gu) > 0.3) {
    const uk = count(text, /[іїєґІЇЄҐ]/g);
    const ru = count(text, /[ыэъёЫЭЪЁ]/g);
    if (uk > ru) return { lang: "uk", confident: true };
    if (ru > uk) return { lang: "ru", confident: true };
    // Words written the same in both ("я живу в"): keep the conversation's language.
    return { lang: "ru", confident: false };
  }
  return detectLatin(text);
}
