import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { checkQuality } from "../../src/knowledge/quality.js";
import { LANGUAGES } from "../../src/language/languages.js";
import { canonicalNamesPath, knowledgeDir } from "../../src/cli/paths.js";

/** The knowledge check: the real content, against the rules every entry must follow. */
describe("the knowledge base", () => {
  const kb = loadKnowledge(knowledgeDir());
  const canonical = JSON.parse(readFileSync(canonicalNamesPath(), "utf8")) as { name: string }[];
  const report = checkQuality(kb, canonical);

  it("has every canonical service as a name or alias", () => {
    expect(report.problems.filter((p) => p.startsWith("canonical"))).toEqual([]);
  });

  it("has no alias shared by two services", () => {
    expect(report.problems.filter((p) => p.includes("also used by"))).toEqual([]);
  });

  it("has summary, how_to_access and keywords in all 18 languages", () => {
    expect(report.problems.filter((p) => p.includes("missing"))).toEqual([]);
    for (const l of LANGUAGES) expect(report.languageCompleteness[l]).toBe(kb.services.length);
  });

  it("has parseable phones, web addresses and hours, and says who to ask when no contact is known", () => {
    expect(report.problems).toEqual([]);
  });

  it("gives every service at least one source and a residence and legal-status rule", () => {
    for (const s of kb.services) {
      expect(s.sources.length, s.id).toBeGreaterThan(0);
      expect(s.criteria.residence.required, s.id).toBeDefined();
    }
  });

  it("has emergency lines for every kind of danger the triage recognises", () => {
    const kinds = new Set(kb.services.filter((s) => s.categories.includes("emergency")).flatMap((s) => s.emergency_kinds ?? []));
    for (const k of ["medical", "violence", "suicide", "minor_at_risk", "trafficking"]) expect(kinds.has(k as never), k).toBe(true);
  });
});
