import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import MiniSearch, { type SearchResult as SearchResultLike } from "minisearch";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { LANGUAGES, type Lang } from "../../language/languages.js";
import type { Service } from "../schema.js";
import type { KnowledgeBase } from "../load.js";
import { foldName } from "../normalize.js";
import { foldText, shingles, terms } from "./text.js";

/**
 * Hybrid retrieval: a BM25 lexical index (MiniSearch) and a vector index (LangChain HNSWLib over
 * hnswlib-node), fused by reciprocal rank, with a strong boost when the message names a service.
 * One document per (service, language), so a question in any language meets the text written for it.
 */

export interface SearchHit {
  service: Service;
  score: number;
  /** Why it was found: "name" (the message names it), "lexical", "vector". */
  via: ("name" | "lexical" | "vector")[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** false when nothing matches well enough to be offered as an answer. */
  fits: boolean;
  /** The strongest lexical score and the nearest vector distance: what `fits` was decided on. */
  evidence: { lexical: number; distance: number };
}

interface LexDoc {
  id: string;
  service: string;
  lang: Lang;
  names: string;
  /** One-word keywords, and the phrase pairs of multi-word keywords. */
  keywords: string;
  /** Every word of multi-word keywords, weighted low. */
  phraseWords: string;
  body: string;
}

/** Reciprocal-rank fusion: a small k keeps the first ranks decisive; the vector list counts less (it is noisier). */
const RRF_K = 10;
const VECTOR_WEIGHT = 0.3;
/** Extra weight of rare words of the question, on top of BM25's own (see documentFrequency). */
const IDF_BOOST = 1;
const LEX_FIELDS = ["names", "keywords", "phraseWords", "body"];
const LEX_OPTIONS = {
  fields: LEX_FIELDS,
  storeFields: ["service", "lang"],
  idField: "id",
  // Documents are pre-tokenised by `terms()` (folding, stemming, Han bigrams): split on spaces only.
  tokenize: (s: string) => s.split(" ").filter(Boolean),
  processTerm: (t: string) => t,
};
/**
 * Below these, the best match is too weak to be called an answer. Measured on this knowledge base:
 * on the dev questions the best lexical score was never under 213, on off-topic messages ("bitcoin price", "how do I
 * bake a cake") it stayed under 100 except one at 249. Hash-embedding distances do not separate the two sets, so only
 * a very close vector match counts on its own.
 */
const MIN_LEXICAL_SCORE = 150;
const MAX_VECTOR_DISTANCE = 0.25;

/**
 * Town names are where a person lives, not what they need: the engine handles them through the profile (area filter,
 * nearest office). Kept in the index they would pull every service whose name or keywords mention the town.
 */
function placeWords(kb: KnowledgeBase): Set<string> {
  const words = new Set<string>();
  for (const m of kb.areas.municipalities)
    if (m.id !== "milano") for (const n of [m.name, ...m.aliases]) for (const w of foldText(n).split(" ")) if (w.length >= 4) words.add(w);
  return words;
}

function withoutPlaces(text: string, places: Set<string>): string {
  return foldText(text).split(" ").filter((w) => !places.has(w)).join(" ");
}

/**
 * In how many services (per language) each term appears: the rarer a word of the question is among the texts of its
 * language, the more it says what the person needs ("lentes" against "dinero", "ayuda").
 */
function documentFrequency(kb: KnowledgeBase, places: Set<string>): Map<string, number> {
  const df = new Map<string, number>();
  for (const s of kb.services)
    for (const d of lexDocs(s, places)) {
      const seen = new Set(`${d.names} ${d.keywords} ${d.phraseWords} ${d.body}`.split(" ").filter(Boolean));
      for (const t of seen) df.set(`${d.lang}|${t}`, (df.get(`${d.lang}|${t}`) ?? 0) + 1);
    }
  return df;
}

function lexDocs(s: Service, places: Set<string>): LexDoc[] {
  const out: LexDoc[] = [];
  for (const lang of LANGUAGES) {
    const t = s.text[lang];
    if (!t) continue;
    const keywords = t.keywords.map((k) => withoutPlaces(k, places)).filter(Boolean);
    const single = keywords.filter((k) => terms(k, lang).filter((x) => !x.startsWith("~")).length <= 1);
    const phrases = keywords.filter((k) => !single.includes(k));
    out.push({
      id: `${s.id}:${lang}`,
      service: s.id,
      lang,
      names: terms(withoutPlaces([s.name, ...s.aliases].join(" "), places), lang).join(" "),
      keywords: [...terms(single.join(" "), lang), ...phrases.flatMap((p) => shingles(p, lang))].join(" "),
      phraseWords: terms(phrases.join(" "), lang).join(" "),
      body: terms(withoutPlaces(t.summary, places), lang).join(" "),
    });
  }
  return out;
}

function vectorText(s: Service, lang: Lang): string | undefined {
  const t = s.text[lang];
  if (!t) return undefined;
  return [s.name, t.keywords.join(", "), t.summary].join(". ");
}

/** The code that turns text into index entries: a change to it must rebuild the index as surely as new content. */
const INDEXING_CODE = ["index.ts", "text.ts", "embedder.ts"].map((f) => {
  try {
    return readFileSync(new URL(`./${f}`, import.meta.url), "utf8");
  } catch {
    return f;
  }
}).join("\n");

/** A fingerprint of everything the index depends on: rebuild only when it changes. */
export function knowledgeFingerprint(kb: KnowledgeBase, embedderId: string): string {
  const h = createHash("sha256");
  h.update(`index|${embedderId}|`);
  h.update(INDEXING_CODE);
  h.update(JSON.stringify(kb.areas.municipalities));
  for (const s of [...kb.services].sort((a, b) => a.id.localeCompare(b.id))) h.update(JSON.stringify(s));
  return h.digest("hex").slice(0, 16);
}

export class HybridIndex {
  private constructor(
    private readonly kb: KnowledgeBase,
    private readonly lexical: MiniSearch<LexDoc>,
    private readonly vectors: HNSWLib,
    private readonly nameIndex: NamePattern[],
    private readonly places: Set<string> = placeWords(kb),
    private readonly df: Map<string, number> = documentFrequency(kb, places),
  ) {}

  /** Loads the persisted index for this knowledge base, or builds and persists it. */
  static async open(kb: KnowledgeBase, embeddings: EmbeddingsInterface & { id?: string }, cacheDir?: string): Promise<HybridIndex> {
    const fp = knowledgeFingerprint(kb, embeddings.id ?? embeddings.constructor.name);
    const dir = cacheDir ? join(cacheDir, fp) : undefined;
    if (dir && existsSync(join(dir, "complete"))) {
      try {
        const lexical = MiniSearch.loadJSON<LexDoc>(readFileSync(join(dir, "lexical.json"), "utf8"), LEX_OPTIONS);
        const vectors = await HNSWLib.load(join(dir, "vectors"), embeddings);
        return new HybridIndex(kb, lexical, vectors, buildNameIndex(kb));
      } catch {
        // A damaged cache is rebuilt below.
      }
    }
    const index = await HybridIndex.build(kb, embeddings);
    if (dir) await index.persist(dir);
    return index;
  }

  static async build(kb: KnowledgeBase, embeddings: EmbeddingsInterface): Promise<HybridIndex> {
    const places = placeWords(kb);
    // One index for all languages: measured on the dev set, per-language indexes (each with its own word rarity)
    // ranked worse (hit@3 0.84 against 0.88).
    const lexical = new MiniSearch<LexDoc>(LEX_OPTIONS);
    lexical.addAll(kb.services.flatMap((s) => lexDocs(s, places)));
    const vdocs: Document[] = [];
    for (const s of kb.services)
      for (const lang of LANGUAGES) {
        const text = vectorText(s, lang);
        if (text) vdocs.push(new Document({ pageContent: text, metadata: { service: s.id, lang } }));
      }
    const vectors = await HNSWLib.fromDocuments(vdocs, embeddings);
    return new HybridIndex(kb, lexical, vectors, buildNameIndex(kb));
  }

  private async persist(dir: string): Promise<void> {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, "lexical.json"), JSON.stringify(this.lexical));
    await this.vectors.save(join(tmp, "vectors"));
    writeFileSync(join(tmp, "complete"), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }

  async search(query: string, lang: Lang, opts: { limit?: number; filter?: (s: Service) => boolean } = {}): Promise<SearchResult> {
    const limit = opts.limit ?? 5;
    const fused = new Map<string, { score: number; via: Set<SearchHit["via"][number]> }>();
    const bump = (id: string, score: number, via: SearchHit["via"][number]) => {
      const e = fused.get(id) ?? { score: 0, via: new Set() };
      e.score += score;
      e.via.add(via);
      fused.set(id, e);
    };

    const folded = ` ${foldName(query).replace(/[^\p{L}\p{N}]+/gu, " ")} `;
    const raw = ` ${query.replace(/[^\p{L}\p{N}]+/gu, " ")} `;
    for (const { pattern, acronym, service } of this.nameIndex)
      if (pattern.test(acronym ? raw : folded)) bump(service.id, 1, "name");

    const q = withoutPlaces(query, this.places);
    const qTerms = [...new Set([
      ...terms(q, lang), ...shingles(q, lang),
      ...(lang === "it" ? [] : [...terms(q, "it"), ...shingles(q, "it")]),
    ])];
    let bestLexical = 0;
    let bestWords = 0;
    const lexLangs = new Set<string>([lang, "it", "en"]);
    const known = (t: string) => this.df.has(`${lang}|${t}`) || this.df.has(`it|${t}`) || this.df.has(`en|${t}`);
    if (qTerms.length) {
      const options = {
        boost: { names: 3, keywords: 3, phraseWords: 0.8, body: 1 },
        fuzzy: (t: string) => (t.length > 5 && !t.startsWith("~") && !t.includes("_") ? 0.2 : false),
        prefix: (t: string) => t.length > 4 && !t.startsWith("~") && !t.includes("_"),
        combineWith: "OR" as const,
        // The question's language, plus Italian and English (names and words people borrow from them); other
        // languages' stems only collide by chance (Italian "marito" and Spanish "marido" share "~mar").
        filter: (r: SearchResultLike) => lexLangs.has(r.lang as string),
      };
      // Ranking: rare words of the question weigh more. Whether anything fits at all is judged on plain BM25
      // scores (below), whose scale the thresholds were measured on.
      const ranked = this.lexical.search(qTerms.join(" "), {
        ...options,
        boostTerm: (t) => {
          const n = this.df.get(`${lang}|${t}`) ?? this.df.get(`it|${t}`);
          return n === undefined ? 1 : 1 + Math.max(0, Math.log(this.kb.services.length / n) - 1) * IDF_BOOST;
        },
      });
      const seen = new Set<string>();
      for (const r of ranked) {
        const id = r.service as string;
        if (seen.has(id)) continue;
        seen.add(id);
        bump(id, 1 / (RRF_K + seen.size), "lexical");
      }
      // Fuzzy matching is most of the cost of a search: the fit check uses it only for words the index lacks.
      const plain = this.lexical.search(qTerms.join(" "), {
        ...options,
        fuzzy: (t: string) => (known(t) ? false : options.fuzzy(t)),
        prefix: (t: string) => !known(t) && options.prefix(t),
      });
      if (plain[0]) {
        bestLexical = plain[0].score;
        bestWords = new Set(plain[0].queryTerms.filter((t) => !t.startsWith("~"))).size;
      }
    }

    // Vectors are compared within the question's language (and Italian, the reference): across scripts the
    // character n-grams of the local embedder only add noise.
    const vecLangs = new Set<string>([lang, "it"]);
    const vec = await this.vectors.similaritySearchWithScore(query, 60, (d: Document) => vecLangs.has(d.metadata.lang as string));
    const seenV = new Set<string>();
    let bestDistance = 1;
    for (const [doc, distance] of vec) {
      const id = doc.metadata.service as string;
      if (seenV.has(id)) continue;
      seenV.add(id);
      bestDistance = Math.min(bestDistance, distance);
      bump(id, VECTOR_WEIGHT / (RRF_K + seenV.size), "vector");
    }

    const hits: SearchHit[] = [];
    for (const [id, e] of fused) {
      const service = this.kb.byId.get(id);
      if (!service || (opts.filter && !opts.filter(service))) continue;
      hits.push({ service, score: e.score, via: [...e.via] });
    }
    hits.sort((a, b) => b.score - a.score);
    const named = hits.some((h) => h.via.includes("name"));
    return {
      hits: hits.slice(0, limit),
      // Short messages in languages without stop-word lists score lower: two of their words matching is enough.
      fits: named || bestLexical >= MIN_LEXICAL_SCORE || (bestLexical >= MIN_LEXICAL_SCORE / 2 && bestWords >= 2) || bestDistance <= MAX_VECTOR_DISTANCE,
      evidence: { lexical: bestLexical, distance: bestDistance },
    };
  }
}

interface NamePattern {
  pattern: RegExp;
  /** Short all-capital acronyms (SAD, CAS, MAP) match only when written in capitals: "I feel sad" is not SAD. */
  acronym: boolean;
  service: Service;
}

/** Whole-word patterns for every name and alias of 3+ characters. */
function buildNameIndex(kb: KnowledgeBase): NamePattern[] {
  const out: NamePattern[] = [];
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const s of kb.services)
    for (const n of [s.name, ...s.aliases]) {
      const acronym = /^[A-Z][A-Z.]{1,5}$/.test(n.trim());
      const f = acronym ? n.replace(/\./g, "").trim() : foldName(n).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
      if (f.length < 3) continue;
      out.push({ pattern: new RegExp(` ${escape(f)} `, "u"), acronym, service: s });
    }
  return out;
}
