import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { LANGUAGES, type Lang } from "../../language/languages.js";
import type { Service } from "../schema.js";
import type { KnowledgeBase } from "../load.js";
import { foldName } from "../normalize.js";
import { foldText, shingles, shinglesOf, terms, withoutStopwords } from "./text.js";
import { TypoExpander } from "./typos.js";
import { ImpactIndex, type ImpactDoc, type QueryTerm, type ScoredDoc } from "./impact-index.js";
import { sourceText } from "../../root.js";

/**
 * Hybrid retrieval: a BM25 lexical index (ImpactIndex: MiniSearch's scores, computed when the index is built) and a
 * vector index (LangChain HNSWLib over hnswlib-node), fused by reciprocal rank, with a strong boost when the message
 * names a service.
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
/** Nearest vectors looked at per question. */
const VECTOR_K = 60;
/** Extra weight of rare words of the question, on top of BM25's own (see documentFrequency). */
const IDF_BOOST = 1;
/** Lexical fields and their weights. */
const LEX_FIELDS = ["names", "keywords", "phraseWords", "body"] as const;
const FIELD_BOOSTS = [3, 3, 0.8, 1];
/**
 * A term in more than this share of the services (in a searched language) is "common": it only adds to the scores of
 * documents a rarer word of the question found. Measured: the same dev-set ranking as scoring it everywhere, a third of
 * the lexical time on this base, half on one 100 times larger.
 */
const COMMON_TERM_SHARE = 0.1;
/** Documents the fit check scores: the best-ranked ones. */
const FIT_CANDIDATES = 20;
/**
 * Documents ranked by the lexical pass. A service has at most three among the searched languages, so this ranks at
 * least 200 services; a deeper rank would add less than 1/(RRF_K + 200) to a fused score. The real base has fewer
 * services than that: its lexical ranking is complete.
 */
const LEXICAL_DEPTH = 600;
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
 * In how many services (per language, "lang|term") each term appears: the rarer a word of the question is among the
 * texts of its language, the more it says what the person needs ("lentes" against "dinero", "ayuda"). Read off the
 * lexical index, which holds one document per (service, language); with it, the terms of each language (the typo
 * matching's vocabularies).
 */
function documentFrequency(lexical: ImpactIndex): { df: Map<string, number>; words: Map<Lang, string[]> } {
  const df = new Map<string, number>();
  const words = new Map<Lang, string[]>();
  for (const [term, group, n] of lexical.groupCounts()) {
    const lang = LANGUAGES[group]!;
    df.set(`${lang}|${term}`, n);
    (words.get(lang) ?? words.set(lang, []).get(lang)!).push(term);
  }
  return { df, words };
}

function impactDoc(d: LexDoc): ImpactDoc {
  const split = (x: string) => x.split(" ").filter(Boolean);
  return { key: d.service, group: LANGUAGES.indexOf(d.lang), fields: LEX_FIELDS.map((f) => split(d[f])) };
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

/**
 * The code that turns text into index entries: a change to it must rebuild the index as surely as new content. Read
 * from the sources (src/), so that the compiled server and the CLIs under tsx compute the same fingerprint.
 */
const INDEXING_CODE = sourceText("src/knowledge/search", ["index.ts", "impact-index.ts", "text.ts", "embedder.ts"]);

/** A fingerprint of everything the index depends on: rebuild only when it changes. */
export function knowledgeFingerprint(kb: KnowledgeBase, embedderId: string): string {
  const h = createHash("sha256");
  h.update(`index|${embedderId}|`);
  h.update(INDEXING_CODE);
  h.update(JSON.stringify(kb.areas.municipalities));
  for (const s of [...kb.services].sort((a, b) => a.id.localeCompare(b.id))) h.update(JSON.stringify(s));
  return h.digest("hex").slice(0, 16);
}

/** The languages a question is searched in: its own, Italian (the reference) and English (widely borrowed). */
function searchLanguages(lang: Lang): Lang[] {
  return [...new Set<Lang>([lang, "it", "en"])];
}

export interface SearchOptions {
  limit?: number;
  filter?: (s: Service) => boolean;
  /** Judge whether anything fits (one more lexical pass). Without it `fits` only reflects names and vectors. */
  fit?: boolean;
}

export class HybridIndex {
  private readonly typos: TypoExpander;
  /** In how many services each term appears, per language ("lang|term"). */
  private readonly df: Map<string, number>;

  private constructor(
    private readonly kb: KnowledgeBase,
    private readonly lexical: ImpactIndex,
    /** One vector index per language: a question is compared with its own language and Italian, no filter needed. */
    private readonly vectors: Map<Lang, HNSWLib>,
    private readonly names: NameIndex = new NameIndex(kb),
    private readonly places: Set<string> = placeWords(kb),
  ) {
    // Typo and prefix matching look at the terms of the languages searched (words, stems and phrase pairs, as
    // MiniSearch's own matching did: measured, leaving stems or pairs out changes the ranking).
    const { df, words } = documentFrequency(lexical);
    this.df = df;
    this.typos = new TypoExpander((lang) => words.get(lang as Lang) ?? []);
  }

  /** Extra weight of a rare word of the question, on top of BM25's own. */
  private idfBoost(t: string, lang: Lang): number {
    const n = this.df.get(`${lang}|${t}`) ?? this.df.get(`it|${t}`);
    return n === undefined ? 1 : 1 + Math.max(0, Math.log(this.kb.services.length / n) - 1) * IDF_BOOST;
  }

  /**
   * BM25 scores of the best documents in `langs` for weighted index terms. Expansions of one word of the question count
   * as that word (`origin`): a score is multiplied by the number of words of the question matched, as MiniSearch did.
   * Terms found in a large share of the documents are scored only on documents that a rarer term has already found:
   * they barely change the order of those, and scoring them everywhere is most of the cost on a large base.
   */
  private lexicalScores(weights: Map<string, number>, langs: Lang[], origin: Map<string, string>, limit: number, only?: number[]): ScoredDoc[] {
    const originIds = new Map<string, number>();
    const originOf = (t: string) => {
      const word = origin.get(t) ?? t;
      let id = originIds.get(word);
      if (id === undefined) originIds.set(word, (id = originIds.size));
      return id;
    };
    const query: QueryTerm[] = [];
    for (const [term, weight] of weights) query.push({ term, weight, origin: originOf(term) });
    const commonAbove = COMMON_TERM_SHARE * this.kb.services.length;
    const common = (q: QueryTerm) => langs.some((l) => (this.df.get(`${l}|${q.term}`) ?? 0) > commonAbove);
    const words = [...originIds].filter(([w]) => !w.startsWith("~")).map(([, id]) => id);
    const groups = new Set(langs.map((l) => LANGUAGES.indexOf(l)));
    // A document's service is its key; `words` counts the words of the question it matched, stems aside.
    return this.lexical.score(query, { groups, only, secondary: common, limit, words });
  }

  /** Loads the persisted index for this knowledge base, or builds and persists it. */
  static async open(kb: KnowledgeBase, embeddings: EmbeddingsInterface & { id?: string }, cacheDir?: string): Promise<HybridIndex> {
    const fp = knowledgeFingerprint(kb, embeddings.id ?? embeddings.constructor.name);
    const dir = cacheDir ? join(cacheDir, fp) : undefined;
    if (dir && existsSync(join(dir, "complete"))) {
      try {
        // The vector files are read in the background while the lexical index is read.
        const loading = Promise.all(
          LANGUAGES.filter((lang) => existsSync(join(dir, "vectors", lang))).map(async (lang) => [lang, await HNSWLib.load(join(dir, "vectors", lang), embeddings)] as const),
        );
        loading.catch(() => undefined);
        const lexical = ImpactIndex.load(join(dir, "lexical"));
        return new HybridIndex(kb, lexical, new Map(await loading));
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
    const lexical = ImpactIndex.build(kb.services.flatMap((s) => lexDocs(s, places)).map(impactDoc), FIELD_BOOSTS);
    const vectors = new Map<Lang, HNSWLib>();
    for (const lang of LANGUAGES) {
      const docs: Document[] = [];
      for (const s of kb.services) {
        const text = vectorText(s, lang);
        if (text) docs.push(new Document({ pageContent: text, metadata: { service: s.id, lang } }));
      }
      if (docs.length) vectors.set(lang, await HNSWLib.fromDocuments(docs, embeddings));
    }
    return new HybridIndex(kb, lexical, vectors);
  }

  private async persist(dir: string): Promise<void> {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    this.lexical.save(join(tmp, "lexical"));
    for (const [lang, v] of this.vectors) await v.save(join(tmp, "vectors", lang));
    writeFileSync(join(tmp, "complete"), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    // Indexes of earlier knowledge or code are of no further use (a process still using one has it in memory).
    const parent = dirname(dir);
    for (const other of readdirSync(parent))
      if (/^[0-9a-f]{16}$/.test(other) && join(parent, other) !== dir) rmSync(join(parent, other), { recursive: true, force: true });
  }

  async search(query: string, lang: Lang, opts: SearchOptions = {}): Promise<SearchResult> {
    const limit = opts.limit ?? 5;
    const fused = new Map<string, { score: number; via: Set<SearchHit["via"][number]> }>();
    const bump = (id: string, score: number, via: SearchHit["via"][number]) => {
      const e = fused.get(id) ?? { score: 0, via: new Set() };
      e.score += score;
      e.via.add(via);
      fused.set(id, e);
    };

    for (const id of this.names.find(query)) bump(id, 1, "name");

    const q = withoutPlaces(query, this.places);
    const own = terms(q, lang);
    // Read as Italian too (people borrow Italian names and words), without the stop words of the question's language.
    const italian = lang === "it" ? [] : terms(withoutStopwords(q, lang), "it");
    const qTerms = [...new Set([...own, ...shinglesOf(own), ...italian, ...shinglesOf(italian)])];
    let bestLexical = 0;
    let bestWords = 0;
    if (qTerms.length) {
      // The question's language, plus Italian and English (names and words people borrow from them); other
      // languages' stems only collide by chance (Italian "marito" and Spanish "marido" share "~mar").
      const langs = searchLanguages(lang);
      const known = (t: string) => langs.some((l) => this.df.has(`${l}|${t}`));
      // Ranking: every word may be a typo or an inflection, and rare words of the question weigh more. Whether
      // anything fits at all is judged on plain BM25 scores, whose scale the thresholds were measured on, with
      // typo matching only for words the index does not know.
      const ranking = new Map<string, number>();
      const plain = new Map<string, number>();
      // Which word of the question an index term stands for (a word of the question stands for itself).
      const origin = new Map<string, string>(qTerms.map((t) => [t, t]));
      for (const t of qTerms) {
        const word = !t.startsWith("~") && !t.includes("_");
        const boost = this.idfBoost(t, lang);
        const expansions = this.typos.expand(t, langs, { prefix: word && t.length > 4, fuzzy: word && t.length > 5 ? 0.2 : false });
        const isKnown = known(t);
        for (const e of expansions) {
          ranking.set(e.term, (ranking.get(e.term) ?? 0) + e.weight * boost);
          if (!isKnown || e.term === t) plain.set(e.term, (plain.get(e.term) ?? 0) + e.weight);
          if (!origin.has(e.term)) origin.set(e.term, t);
        }
      }
      const ranked = this.lexicalScores(ranking, langs, origin, LEXICAL_DEPTH);
      const seen = new Set<string>();
      for (const r of ranked) {
        if (seen.has(r.key)) continue;
        seen.add(r.key);
        bump(r.key, 1 / (RRF_K + seen.size), "lexical");
      }
      let best: (typeof ranked)[number] | undefined;
      // The fit check looks at the best-ranked documents only: the best match is among them, and scoring only
      // those allocates a fraction of a full pass (garbage collection pauses are most of the slowest turns).
      if (opts.fit !== false) {
        const top = ranked.slice(0, FIT_CANDIDATES).map((r) => r.doc);
        best = this.lexicalScores(plain, langs, origin, 1, top)[0];
      }
      if (best) {
        bestLexical = best.score;
        bestWords = best.words;
      }
    }

    // Vectors are compared within the question's language (and Italian, the reference): across scripts the
    // character n-grams of the local embedder only add noise.
    const stores = [...new Set<Lang>([lang, "it"])].map((l) => this.vectors.get(l)).filter((v): v is HNSWLib => Boolean(v));
    const embedded = stores[0] ? await stores[0].embeddings.embedQuery(query) : [];
    const vec = (await Promise.all(stores.map((v) => v.similaritySearchVectorWithScore(embedded, Math.min(VECTOR_K, v.index.getCurrentCount())))))
      .flat()
      .sort((a, b) => a[1] - b[1])
      .slice(0, VECTOR_K);
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

/**
 * Whole-word matching of every name and alias of 3+ characters, looked up word by word (not one pattern per name, which
 * grows with the knowledge base). Short all-capital acronyms (SAD, CAS, MAP) match only when written in capitals:
 * "I feel sad" is not SAD.
 */
class NameIndex {
  /** First word of a name → the names that start with it ("A:" before acronyms, which are compared unfolded). */
  private readonly byFirstWord = new Map<string, { words: string[]; service: string }[]>();

  constructor(kb: KnowledgeBase) {
    for (const s of kb.services)
      for (const n of [s.name, ...s.aliases]) {
        const acronym = /^[A-Z][A-Z.]{1,5}$/.test(n.trim());
        const f = acronym ? n.replace(/\./g, "").trim() : nameWords(foldName(n)).join(" ");
        if (f.length < 3) continue;
        const words = f.split(" ");
        const key = `${acronym ? "A:" : ""}${words[0]}`;
        (this.byFirstWord.get(key) ?? this.byFirstWord.set(key, []).get(key)!).push({ words, service: s.id });
      }
  }

  /** The services named in the text, once per matching name or alias. */
  find(text: string): string[] {
    const out: string[] = [];
    const scan = (words: string[], prefix: string) => {
      for (let i = 0; i < words.length; i++)
        for (const c of this.byFirstWord.get(prefix + words[i]) ?? [])
          if (c.words.every((w, j) => words[i + j] === w)) out.push(c.service);
    };
    scan(nameWords(foldName(text)), "");
    scan(nameWords(text), "A:");
    return out;
  }
}

function nameWords(s: string): string[] {
  return s.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
}
