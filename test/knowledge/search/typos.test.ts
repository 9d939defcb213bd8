import { describe, expect, it } from "vitest";
import { TypoExpander } from "../../../src/knowledge/search/typos.js";

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
