import { describe, expect, it } from "vitest";
import SearchableMap from "minisearch/SearchableMap";
import { TypoExpander, vocabulary as sortedVocabulary, withPrefix, withinDistance } from "../../../src/knowledge/search/typos.js";
import { terms } from "../../../src/knowledge/search/text.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { knowledgeDir } from "../../../src/cli/paths.js";
import type { Lang } from "../../../src/language/languages.js";

const vocab: Record<string, string[]> = {
  it: ["affitto", "affittare", "sfratto", "dormitorio", "dormire"],
  es: ["alquiler", "desahucio"],
};
const expander = new TypoExpander((lang) => vocab[lang] ?? []);

describe("TypoExpander", () => {
  it("keeps the word itself at full weight", () => {
    expect(expander.expand("affitto", ["it"], { prefix: false, fuzzy: false })).toEqual([{ term: "affitto", weight: 1 }]);
  });

  it("finds a misspelt word of the vocabulary, weighted below an exact match", () => {
    const e = expander.expand("afitto", ["it"], { prefix: false, fuzzy: 0.2 });
    const hit = e.find((x) => x.term === "affitto");
    expect(hit).toBeDefined();
    expect(hit!.weight).toBeLessThan(1);
    expect(e.map((x) => x.term)).not.toContain("sfratto");
  });

  it("finds longer words that start with the word, and counts each index word once", () => {
    const e = expander.expand("affitt", ["it"], { prefix: true, fuzzy: 0.2 });
    const terms = e.map((x) => x.term);
    expect(terms).toEqual(expect.arrayContaining(["affitto", "affittare"]));
    expect(new Set(terms).size).toBe(terms.length);
    // A longer completion weighs less than a shorter one.
    expect(e.find((x) => x.term === "affittare")!.weight).toBeLessThan(e.find((x) => x.term === "affitto")!.weight);
  });

  it("counts a word found in two languages once", () => {
    const both = new TypoExpander((lang) => (lang === "it" || lang === "en" ? ["caregiver"] : []));
    expect(both.expand("caregivr", ["it", "en"], { prefix: false, fuzzy: 0.2 }).filter((x) => x.term === "caregiver")).toHaveLength(1);
  });

  it("looks only at the vocabulary of the languages searched", () => {
    expect(expander.expand("alquilar", ["it"], { prefix: false, fuzzy: 0.2 }).map((x) => x.term)).toEqual(["alquilar"]);
    expect(expander.expand("alquilar", ["es", "it"], { prefix: false, fuzzy: 0.2 }).map((x) => x.term)).toContain("alquiler");
  });
});

describe("prefix and edit-distance matching on sorted terms", () => {
  // The vocabulary of three languages of the knowledge base, as the index holds it (words, stems, phrase pairs).
  const kb = loadKnowledge(knowledgeDir());
  const vocabulary = (lang: Lang) => [...new Set(kb.services.flatMap((s) => (s.text[lang] ? terms(`${s.text[lang]!.summary} ${s.text[lang]!.keywords.join(" ")}`, lang) : [])))].sort();
  // Deterministic edits of vocabulary words: letters dropped, doubled, swapped, replaced.
  const edits = (w: string, k: number) => [w.slice(0, k) + w.slice(k + 1), w.slice(0, k) + w[k] + w.slice(k), w.slice(0, k) + "x" + w.slice(k + 1), w.slice(0, k) + (w[k + 1] ?? "") + w[k] + w.slice(k + 2)];

  it.each<Lang>(["it", "en", "ar"])("gives MiniSearch's radix-tree results (%s)", (lang) => {
    const words = vocabulary(lang);
    expect(words.length).toBeGreaterThan(1000);
    const tree = new SearchableMap<true>();
    for (const w of words) tree.set(w, true);
    const queries = words.filter((_, i) => i % 37 === 0).flatMap((w) => [w, w.slice(0, 4), ...edits(w, Math.min(2, w.length - 1))]);
    let found = 0;
    const sorted = sortedVocabulary(words);
    for (const q of queries) {
      expect(withPrefix(words, q)).toEqual([...tree.atPrefix(q).keys()].sort());
      for (const d of [1, 2]) {
        const mine = withinDistance(sorted, q, d).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const theirs = [...tree.fuzzyGet(q, d)].map(([t, [, dist]]) => [t, dist] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        expect(mine).toEqual(theirs);
        found += mine.length;
      }
    }
    expect(found).toBeGreaterThan(queries.length);
  });
});
