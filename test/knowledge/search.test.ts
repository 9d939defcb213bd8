import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadKnowledge, type KnowledgeBase } from "../../src/knowledge/load.js";
import { HybridIndex } from "../../src/knowledge/search/index.js";
import { HashNgramEmbeddings } from "../../src/knowledge/search/embedder.js";
import { knowledgeDir } from "../../src/cli/paths.js";
import type { Lang } from "../../src/language/languages.js";

let kb: KnowledgeBase;
let index: HybridIndex;
const cache = mkdtempSync(join(tmpdir(), "orienta-index-"));

beforeAll(async () => {
  kb = loadKnowledge(knowledgeDir());
  index = await HybridIndex.open(kb, new HashNgramEmbeddings(), cache);
});

async function top(query: string, lang: Lang, n = 3): Promise<string[]> {
  const r = await index.search(query, lang, { limit: n });
  return r.hits.map((h) => h.service.name);
}

describe("hybrid retrieval", () => {
  it.each<[string, Lang, RegExp]>([
    ["non ho dove dormire stanotte", "it", /Sammartini|Jannacci|bassa soglia|Piano Freddo/],
    ["where can I take a shower and get a free meal", "en", /Docce|Mense|Centri Diurni/],
    ["أريد أن أتعلم اللغة الإيطالية مجانا", "ar", /scuole di italiano|CPIA|Welcome/],
    ["我想帮我母亲办理家庭团聚", "zh", /Welcome/],
    ["Моя мама має інвалідність, потрібна допомога вдома", "uk", /Domiciliare|SAD|PUA/],
    ["je veux demander l'asile", "fr", /Welcome|SAI|Questura|CAS/],
    ["necesito lentes para mi hija y no tengo dinero", "es", /UFYE|QuBì/],
  ])("finds a fitting service for %s (%s)", async (q, lang, expected) => {
    const names = await top(q, lang);
    expect(names.join(" | ")).toMatch(expected);
  });

  it("finds a service named in the message, even with a typo-free alias in another language", async () => {
    expect((await top("info su Casa Jannacci", "it", 1))[0]).toMatch(/Jannacci/);
  });

  it("does not read a short acronym inside ordinary words (\"sad\" is not SAD)", async () => {
    const r = await index.search("I feel sad today", "en", { limit: 5 });
    expect(r.hits.filter((h) => h.via.includes("name"))).toEqual([]);
  });

  it("tolerates typos: the same service for a misspelt question", async () => {
    const right = await top("affitto", "it", 1);
    const typo = await index.search("afitto", "it", { limit: 3 });
    expect(typo.hits.map((h) => h.service.name)).toContain(right[0]);
    expect(typo.hits[0]!.via).toContain("lexical");
  });

  it("finds a multi-word name written in other letter case and with punctuation around it", async () => {
    const r = await index.search("cosa fa il CENTRO SAMMARTINI?", "it", { limit: 3 });
    expect(r.hits[0]!.via).toContain("name");
    expect(r.hits[0]!.service.name).toMatch(/Sammartini/);
  });

  it("answers a question made only of common words (scored everywhere when no rarer word finds anything)", async () => {
    const r = await index.search("servizio", "it", { limit: 3 });
    expect(r.hits.some((h) => h.via.includes("lexical"))).toBe(true);
  });

  it("says when nothing fits", async () => {
    const r = await index.search("qual è la capitale della Mongolia e quanto è alta la torre Eiffel", "it");
    expect(r.fits).toBe(false);
  });

  it("persists the index and reuses it while the knowledge base is unchanged", async () => {
    const dirs = readdirSync(cache);
    expect(dirs).toHaveLength(1);
    const again = await HybridIndex.open(kb, new HashNgramEmbeddings(), cache);
    expect(readdirSync(cache)).toEqual(dirs);
    const r = await again.search("dormitorio per la notte", "it", { limit: 3 });
    expect(r.hits.length).toBeGreaterThan(0);
  });

  it("removes the index of an earlier knowledge base when it writes a new one", async () => {
    const stale = join(cache, "0123456789abcdef");
    mkdirSync(stale);
    writeFileSync(join(stale, "complete"), "old");
    const changed: KnowledgeBase = { ...kb, services: kb.services.slice(1), byId: new Map(kb.services.slice(1).map((s) => [s.id, s])) };
    await HybridIndex.open(changed, new HashNgramEmbeddings(), cache);
    const dirs = readdirSync(cache);
    expect(dirs).toHaveLength(1);
    expect(dirs).not.toContain("0123456789abcdef");
  });
});
