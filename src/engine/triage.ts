import { TRIAGE_LEXICON, type TriageKind } from "./triage-lexicon.js";
import { stripAccents } from "../knowledge/search/text.js";

/**
 * Danger first: runs before anything else on every message, on the raw text, never through an LLM.
 * Returns the kinds of danger recognised; any kind makes the conversation urgent.
 */

/** Lower case, no accents or Arabic short vowels, one form for letters that Arabic and Persian write differently. */
export function lightFold(s: string): string {
  return stripAccents(s)
    .toLowerCase()
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/[’`´]/g, "'")
    .replace(/\s+/g, " ");
}

const COMPILED: [TriageKind, RegExp][] = Object.entries(TRIAGE_LEXICON).map(([kind, patterns]) => [
  kind as TriageKind,
  new RegExp(patterns.map((p) => `(?:${lightFold(p)})`).join("|"), "u"),
]);

export interface Triage {
  urgent: boolean;
  kinds: TriageKind[];
}

export function triage(text: string): Triage {
  const folded = lightFold(text);
  const kinds = COMPILED.filter(([, re]) => re.test(folded)).map(([k]) => k);
  // Cold matters as danger only for someone outside; alone it is small talk.
  const outside = kinds.includes("no_shelter") || /strada|street|rue|calle|strada|rruge|kalye|waddada|شارع|خیابان|вулиц|улиц|街|রাস্তা|පාර|ጎደና|dorm|sleep|dorme|fle|duerm|portone|fuori|outside/u.test(folded);
  const real = kinds.filter((k) => k !== "cold" || outside);
  return { urgent: real.length > 0, kinds: real };
}
