import { describe, it, expect, beforeAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MiniSearch from "minisearch";
import { ImpactIndex, type ImpactDoc, type QueryTerm } from "../../../src/knowledge/search/impact-index.js";
import { terms } from "../../../src/knowledge/search/text.js";
import { loadKnowledge } from "../../../src/knowledge/load.js";
import { knowledgeDir } from "../../../src/cli/paths.js";
import { LANGUAGES, type Lang } from "../../../src/language/languages.js";

/**
 * The index precomputes MiniSearch's BM25 scores: on the texts of the real knowledge base, every query must give the
 * documents and scores MiniSearch gives (MiniSearch multiplies a score by the number of query terms a document matched,
 * which is the number of distinct origins when every term is its own origin).
 */

const FIELDS = ["name", "summary", "keywords"];
const BOOSTS = [3, 1, 2];
interface Doc {
  id: string;
  lang: Lang;
  name: string;
  summary: string;
  keywords: string;
}

let docs: Doc[];
let impact: ImpactIndex;
let mini: MiniSearch<Doc>;

beforeAll(() => {
  const kb = loadKnowledge(knowledgeDir());
  docs = kb.services.flatMap((s) =>
    (["it", "en", "fr", "ar"] as Lang[]).filter((l) => s.text[l]).map((l) => ({
      id: `${s.id}:${l}`,
      lang: l,
      name: terms(s.name, l).join(" "),
      summary: terms(s.text[l]!.summary, l).join(" "),
      keywords: terms(s.text[l]!.keywords.join(" "), l).join(" "),
    })),
  );
  mini = new MiniSearch<Doc>({ fields: FIELDS, storeFields: ["lang"], tokenize: (s) => s.split(" ").filter(Boolean), processTerm: (t) => t });
  mini.addAll(docs);
  impact = ImpactIndex.build(docs.map(toImpact), BOOSTS);
});

function toImpact(d: Doc): ImpactDoc {
  return { key: d.id, group: LANGUAGES.indexOf(d.lang), fields: [d.name, d.summary, d.keywords].map((f) => f.split(" ").filter(Boolean)) };
}

function miniScores(words: string[], weights: number[], langs?: Lang[]): Map<string, number> {
  const w = new Map(words.map((t, i) => [t, weights[i]!]));
  const results = mini.search(words.join(" "), {
    boost: { name: 3, summary: 1, keywords: 2 },
    boostTerm: (t) => w.get(t) ?? 0,
    boostDocument: langs ? (_id, _t, stored) => (langs.includes(stored?.lang as Lang) ? 1 : 0) : undefined,
  });
  return new Map(results.map((r) => [r.id as string, r.score]));
}

const query = (words: string[], weights: number[]): QueryTerm[] => words.map((term, i) => ({ term, weight: weights[i]!, origin: i }));

describe("ImpactIndex scores as MiniSearch does", () => {
  it.each<[string, Lang, number[]]>([
    ["non ho dove dormire stanotte", "it", [1, 1, 1, 1, 1]],
    ["affitto sfratto casa popolare", "it", [1, 2.5, 0.7, 1]],
    ["free meal and a shower", "en", [1, 1, 1, 1, 3]],
    ["cours de français gratuits", "fr", [1, 1, 1, 1]],
    ["مساعدة قانونية الإقامة", "ar", [1, 1, 1]],
  ])("%s", (text, lang, weights) => {
    const words = [...new Set(terms(text, lang))];
    const ws = words.map((_, i) => weights[i] ?? 1);
    const expected = miniScores(words, ws);
    expect(expected.size).toBeGreaterThan(0);
    const got = impact.score(query(words, ws), { limit: 100_000 });
    expect(got.length).toBe(expected.size);
    for (const r of got) expect(r.score).toBeCloseTo(expected.get(r.key)!, 9);
    // Best first.
    for (let i = 1; i < got.length; i++) expect(got[i - 1]!.score).toBeGreaterThanOrEqual(got[i]!.score);
  });

  it("restricts to groups (languages) as MiniSearch's document boost of 0 does", () => {
    const words = [...new Set([...terms("dormire notte", "it"), ...terms("sleep night", "en")])];
    const ws = words.map(() => 1);
    const expected = miniScores(words, ws, ["en"]);
    const got = impact.score(query(words, ws), { groups: new Set([LANGUAGES.indexOf("en")]), limit: 100_000 });
    expect(got.map((r) => r.key).sort()).toEqual([...expected.keys()].sort());
    expect(got.every((r) => r.key.endsWith(":en"))).toBe(true);
  });
});

describe("ImpactIndex queries", () => {
  it("counts expansions of one word once: origins, not terms, multiply the score", () => {
    const [a, b] = ["dormire", "dormitorio"].map((w) => terms(w, "it")[0]!);
    const alone = impact.score([{ term: a!, weight: 1, origin: 0 }], { limit: 100_000 });
    const sameOrigin = impact.score([{ term: a!, weight: 1, origin: 0 }, { term: b!, weight: 1, origin: 0 }], { limit: 100_000 });
    const both = sameOrigin.filter((r) => alone.some((x) => x.doc === r.doc) && r.score > alone.find((x) => x.doc === r.doc)!.score);
    expect(both.length).toBeGreaterThan(0);
    // A document with both terms under one origin: its score is the plain sum (multiplied by 1, not 2).
    for (const r of both) {
      const twoOrigins = impact.score([{ term: a!, weight: 1, origin: 0 }, { term: b!, weight: 1, origin: 1 }], { only: [r.doc], limit: 1, words: [0, 1] })[0]!;
      expect(twoOrigins.score).toBeCloseTo(r.score * 2, 9);
      expect(twoOrigins.words).toBe(2);
    }
  });

  it("handles more than 32 origins (long messages)", () => {
    const long = docs.find((d) => d.id.endsWith(":it") && new Set(d.summary.split(" ")).size >= 40)!;
    const words = [...new Set(long.summary.split(" "))].slice(0, 40);
    const got = impact.score(query(words, words.map(() => 1)), { limit: 100_000, words: [0, 33, 39, 40] });
    const expected = miniScores(words, words.map(() => 1));
    for (const r of got.slice(0, 20)) expect(r.score).toBeCloseTo(expected.get(r.key)!, 9);
    const own = got.find((r) => r.key === long.id)!;
    // Origins 0, 33 and 39 are its own words; 40 is no origin of this query.
    expect(own.words).toBe(3);
    expect(own.score).toBeCloseTo(expected.get(long.id)!, 9);
  });

  it("scores secondary terms only on documents the others found, or everywhere when they found none", () => {
    const rare = terms("sfratto", "it")[0]!;
    const common = terms("servizio", "it")[0]!;
    const q: QueryTerm[] = [{ term: rare, weight: 1, origin: 0 }, { term: common, weight: 1, origin: 1 }];
    const secondary = (t: QueryTerm) => t.term === common;
    const withRare = impact.score(q, { secondary, limit: 100_000 });
    const rareOnly = impact.score([q[0]!], { limit: 100_000 });
    expect(new Set(withRare.map((r) => r.doc))).toEqual(new Set(rareOnly.map((r) => r.doc)));
    const commonOnly = impact.score([{ term: "zzz-not-a-term", weight: 1, origin: 0 }, q[1]!], { secondary, limit: 100_000 });
    expect(commonOnly.length).toBe(impact.score([q[1]!], { limit: 100_000 }).length);
    expect(commonOnly.length).toBeGreaterThan(rareOnly.length);
  });

  it("returns the best `limit` documents, restricted to `only` when given", () => {
    const words = terms("casa affitto", "it");
    const all = impact.score(query(words, [1, 1]), { limit: 100_000 });
    const top = impact.score(query(words, [1, 1]), { limit: 5 });
    expect(top.map((r) => r.doc)).toEqual(all.slice(0, 5).map((r) => r.doc));
    const some = [all[7]!.doc, all[3]!.doc, 999_999];
    expect(impact.score(query(words, [1, 1]), { only: some, limit: 10 }).map((r) => r.doc)).toEqual([all[3]!.doc, all[7]!.doc]);
    // Queries do not leak into each other (the accumulator is reused).
    expect(impact.score(query(words, [1, 1]), { limit: 5 })).toEqual(top);
  });

  it("counts the documents of each group holding each term", () => {
    const expected = new Map<string, number>();
    for (const d of docs)
      for (const t of new Set([d.name, d.summary, d.keywords].join(" ").split(" ").filter(Boolean)))
        expected.set(`${d.lang}|${t}`, (expected.get(`${d.lang}|${t}`) ?? 0) + 1);
    const got = new Map([...impact.groupCounts()].map(([t, g, n]) => [`${LANGUAGES[g]}|${t}`, n]));
    expect(got).toEqual(expected);
  });

  it("saves and loads the same index, and refuses damaged files", () => {
    const dir = mkdtempSync(join(tmpdir(), "orienta-impact-"));
    impact.save(dir);
    const loaded = ImpactIndex.load(dir);
    const words = terms("centro diurno anziani", "it");
    expect(loaded.score(query(words, [1, 1, 1]), { limit: 50 })).toEqual(impact.score(query(words, [1, 1, 1]), { limit: 50 }));
    writeFileSync(join(dir, "docs.bin"), Buffer.alloc(12));
    expect(() => ImpactIndex.load(dir)).toThrow(/do not match/);
  });
});
