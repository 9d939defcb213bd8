import { LANGUAGES } from "../language/languages.js";
import type { KnowledgeBase } from "./load.js";
import { foldName } from "./normalize.js";

/** Content rules beyond the schema: what `kb check` and the knowledge test in `npm test` enforce. */
export interface QualityReport {
  services: number;
  withContacts: number;
  withStructuredCriteria: number;
  languageCompleteness: Record<string, number>;
  problems: string[];
}

export function checkQuality(kb: KnowledgeBase, canonicalNames: { name: string; aliases?: string[] }[] = []): QualityReport {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const s of kb.services) {
    for (const n of [s.name, ...s.aliases]) {
      const k = foldName(n);
      const prev = owner.get(k);
      if (prev && prev !== s.id) problems.push(`${s.id}: name or alias "${n}" is also used by ${prev}`);
      else owner.set(k, s.id);
    }
  }
  for (const c of canonicalNames) {
    if (!owner.has(foldName(c.name))) problems.push(`canonical service missing (as name or alias): "${c.name}"`);
  }
  const languageCompleteness: Record<string, number> = {};
  for (const l of LANGUAGES) languageCompleteness[l] = 0;
  for (const s of kb.services) {
    for (const l of LANGUAGES) {
      if (s.text[l]) languageCompleteness[l]!++;
      else problems.push(`${s.id}: text.${l} missing`);
    }
    for (const ct of s.contacts) {
      for (const p of ct.phone ?? []) {
        const digits = p.replace(/\D/g, "");
        if (digits.length < 3 || digits.length > 13) problems.push(`${s.id}: phone "${p}" does not look like a phone number`);
      }
      if (ct.website) {
        try {
          new URL(ct.website.startsWith("http") ? ct.website : `https://${ct.website}`);
        } catch {
          problems.push(`${s.id}: website "${ct.website}" does not parse`);
        }
      }
      if (Array.isArray(ct.hours)) for (const h of ct.hours) if (h.from >= h.to && h.to !== "00:00") problems.push(`${s.id}: opening slot ${h.days} ${h.from}-${h.to} ends before it starts`);
    }
    if (s.contacts.length === 0 && (s.ask ?? []).length === 0)
      problems.push(`${s.id}: no contact and no "ask" (who to ask instead)`);
  }
  const structured = (s: (typeof kb.services)[number]) => {
    const c = s.criteria;
    return Boolean(c.age || c.isee_max || c.household_with_minors || c.disability_certification || c.gender ||
      c.residence.required !== "unknown" || c.legal_status.accepted !== "unknown");
  };
  return {
    services: kb.services.length,
    withContacts: kb.services.filter((s) => s.contacts.length > 0).length,
    withStructuredCriteria: kb.services.filter(structured).length,
    languageCompleteness,
    problems,
  };
}
