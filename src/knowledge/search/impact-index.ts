import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A BM25 index whose scores are computed once, when it is built: for every (term, document) the sum over fields of
 * field boost × BM25, stored in flat typed arrays (compressed sparse rows: one run of postings per term). A query adds
 * `weight × impact` into a reusable accumulator, so a search allocates almost nothing whatever the size of the base.
 *
 * The formula and parameters are MiniSearch's (BM25+, k 1.2, b 0.7, d 0.5; the length of a field is its number of
 * distinct terms; document frequency counted per field over all documents), which this index replaced at query time:
 * MiniSearch builds a result object and a match map for every document a term reaches, which on this knowledge base
 * was a third of a turn's allocation, and the garbage collection after it was most of the slowest turns.
 * `test/knowledge/search/impact-index.test.ts` checks the scores against MiniSearch's on the real knowledge base.
 *
 * The knowledge base is static between restarts, so the precomputed scores never go stale: a change to the knowledge
 * base or to this code changes the index fingerprint and the index is rebuilt.
 */

const K1 = 1.2;
const B = 0.7;
const D = 0.5;

function bm25(termFreq: number, matching: number, total: number, fieldLength: number, avgFieldLength: number): number {
  const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
  return idf * (D + (termFreq * (K1 + 1)) / (termFreq + K1 * (1 - B + (B * fieldLength) / avgFieldLength)));
}

export interface ImpactDoc {
  /** What the document stands for (a service id): kept with it and returned with its score. */
  key: string;
  /** A small number grouping documents (a language): queries may be restricted to some groups. */
  group: number;
  /** Tokens of each field, in the order of the field boosts. */
  fields: string[][];
}

/** One term of a query: its weight, and which word of the question it stands for (several terms may share one). */
export interface QueryTerm {
  term: string;
  weight: number;
  origin: number;
}

export interface ScoredDoc {
  doc: number;
  key: string;
  /** Sum of weight × impact over the matched terms, times the number of distinct origins matched. */
  score: number;
  /** How many of the origins listed in `ScoreOptions.words` it matched. */
  words: number;
}

export interface ScoreOptions {
  /** Documents of these groups only (group number → allowed). */
  groups?: ReadonlySet<number>;
  /** Only these documents (numbers from earlier results). */
  only?: readonly number[];
  /**
   * Terms scored only on documents that the other terms have already found (when they found any): a common word
   * barely changes the order of those, and scoring it everywhere is most of the cost on a large base.
   */
  secondary?: (term: QueryTerm) => boolean;
  /** At most this many documents are returned, the best (ties: the document built first). */
  limit: number;
  /** Origins counted in each result's `words`. */
  words?: readonly number[];
}

interface Parts {
  terms: string[];
  offsets: Uint32Array;
  docs: Int32Array;
  impacts: Float64Array;
  keys: string[];
  groups: Uint8Array;
}

export class ImpactIndex {
  private readonly termIds: Map<string, number>;
  // Reused between queries (a query runs to its end synchronously, so one set per index is enough).
  private readonly acc: Float64Array;
  private readonly stamp: Uint32Array;
  private readonly allowed: Uint32Array;
  private readonly scores: Float64Array;
  private readonly sorted: Float64Array;
  private masks = new Uint32Array(0);
  private maskWords = 0;
  private epoch = 0;
  private readonly touched: Int32Array;

  private constructor(private readonly p: Parts) {
    this.termIds = new Map(p.terms.map((t, i) => [t, i]));
    const n = p.keys.length;
    this.acc = new Float64Array(n);
    this.stamp = new Uint32Array(n);
    this.allowed = new Uint32Array(n);
    this.scores = new Float64Array(n);
    this.sorted = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  static build(docs: readonly ImpactDoc[], fieldBoosts: readonly number[]): ImpactIndex {
    const n = docs.length;
    const nf = fieldBoosts.length;
    const termIds = new Map<string, number>();
    const terms: string[] = [];
    // Per field: the length of each document (distinct terms) and, per (term, field), the documents holding it.
    const lengths = fieldBoosts.map(() => new Float64Array(n));
    const avg = new Float64Array(nf);
    // Entries (doc, field, term, frequency) in document order.
    const eDoc: number[] = [];
    const eField: number[] = [];
    const eTerm: number[] = [];
    const eFreq: number[] = [];
    docs.forEach((d, doc) => {
      for (let f = 0; f < nf; f++) {
        const counts = new Map<string, number>();
        for (const t of d.fields[f] ?? []) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
        lengths[f]![doc] = counts.size;
        avg[f]! += counts.size;
        for (const [t, c] of counts) {
          let id = termIds.get(t);
          if (id === undefined) termIds.set(t, (id = terms.push(t) - 1));
          eDoc.push(doc);
          eField.push(f);
          eTerm.push(id);
          eFreq.push(c);
        }
      }
    });
    for (let f = 0; f < nf; f++) avg[f] = n ? avg[f]! / n : 0;
    const matching = new Uint32Array(terms.length * nf);
    for (let i = 0; i < eDoc.length; i++) matching[eTerm[i]! * nf + eField[i]!]!++;
    // Group the entries by term (a stable counting sort keeps document order, so a document's fields are adjacent).
    const perTerm = new Uint32Array(terms.length + 1);
    for (const t of eTerm) perTerm[t + 1]!++;
    for (let t = 0; t < terms.length; t++) perTerm[t + 1]! += perTerm[t]!;
    const order = new Uint32Array(eDoc.length);
    const next = perTerm.slice(0, terms.length);
    for (let i = 0; i < eDoc.length; i++) order[next[eTerm[i]!]!++] = i;
    const offsets = new Uint32Array(terms.length + 1);
    const outDocs: number[] = [];
    const outImpacts: number[] = [];
    for (let t = 0; t < terms.length; t++) {
      offsets[t] = outDocs.length;
      for (let j = perTerm[t]!; j < perTerm[t + 1]!; j++) {
        const i = order[j]!;
        const doc = eDoc[i]!;
        const f = eField[i]!;
        const s = fieldBoosts[f]! * bm25(eFreq[i]!, matching[t * nf + f]!, n, lengths[f]![doc]!, avg[f]!);
        if (outDocs.length > offsets[t]! && outDocs[outDocs.length - 1] === doc) outImpacts[outImpacts.length - 1]! += s;
        else {
          outDocs.push(doc);
          outImpacts.push(s);
        }
      }
    }
    offsets[terms.length] = outDocs.length;
    return new ImpactIndex({
      terms,
      offsets,
      docs: Int32Array.from(outDocs),
      impacts: Float64Array.from(outImpacts),
      keys: docs.map((d) => d.key),
      groups: Uint8Array.from(docs.map((d) => d.group)),
    });
  }

  /** Writes the index to `dir` (postings as raw binary, terms and keys as JSON). */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "terms.json"), JSON.stringify({ terms: this.p.terms, keys: this.p.keys }));
    writeFileSync(join(dir, "offsets.bin"), this.p.offsets);
    writeFileSync(join(dir, "docs.bin"), this.p.docs);
    writeFileSync(join(dir, "impacts.bin"), this.p.impacts);
    writeFileSync(join(dir, "groups.bin"), this.p.groups);
  }

  static load(dir: string): ImpactIndex {
    const { terms, keys } = JSON.parse(readFileSync(join(dir, "terms.json"), "utf8")) as { terms: string[]; keys: string[] };
    const bytes = (name: string) => {
      const b = readFileSync(join(dir, name));
      // A copy into its own buffer: Node's small-file buffers may share a pool and be unaligned.
      return new Uint8Array(b).buffer;
    };
    const p: Parts = {
      terms,
      keys,
      offsets: new Uint32Array(bytes("offsets.bin")),
      docs: new Int32Array(bytes("docs.bin")),
      impacts: new Float64Array(bytes("impacts.bin")),
      groups: new Uint8Array(bytes("groups.bin")),
    };
    if (p.offsets.length !== terms.length + 1 || p.docs.length !== p.impacts.length || p.offsets[terms.length] !== p.docs.length || p.groups.length !== keys.length)
      throw new Error("impact index: files do not match");
    return new ImpactIndex(p);
  }

  /** For every term, in how many documents of each group it appears: [term, group, count]. */
  *groupCounts(): Generator<[string, number, number]> {
    const { terms, offsets, docs, groups } = this.p;
    const counts = new Map<number, number>();
    for (let t = 0; t < terms.length; t++) {
      counts.clear();
      for (let j = offsets[t]!; j < offsets[t + 1]!; j++) {
        const g = groups[docs[j]!]!;
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
      for (const [group, n] of counts) yield [terms[t]!, group, n];
    }
  }

  /**
   * The best documents for weighted terms (terms the index does not know are ignored). Origins number the words of the
   * question: a document's summed score is multiplied by how many distinct origins it matched.
   */
  score(query: readonly QueryTerm[], o: ScoreOptions): ScoredDoc[] {
    const { offsets, docs, impacts, groups } = this.p;
    const origins = query.reduce((m, q) => Math.max(m, q.origin + 1), 0);
    const words = Math.max(1, Math.ceil(origins / 32));
    if (this.maskWords !== words || this.masks.length < this.acc.length * words) {
      this.masks = new Uint32Array(this.acc.length * words);
      this.maskWords = words;
    }
    const { acc, stamp, allowed, masks } = this;
    if (this.epoch >= 0xfffffffe) {
      stamp.fill(0);
      allowed.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    if (o.only) for (const d of o.only) allowed[d] = epoch;
    const inScope = o.only ? (d: number) => allowed[d] === epoch : o.groups ? (d: number) => o.groups!.has(groups[d]!) : () => true;
    let count = 0;
    const add = (q: QueryTerm, where: (d: number) => boolean) => {
      const id = this.termIds.get(q.term);
      if (id === undefined) return;
      const word = (q.origin >>> 5) >>> 0;
      const bit = 1 << (q.origin & 31);
      for (let j = offsets[id]!, end = offsets[id + 1]!; j < end; j++) {
        const d = docs[j]!;
        if (stamp[d] !== epoch) {
          if (!where(d)) continue;
          stamp[d] = epoch;
          acc[d] = 0;
          masks.fill(0, d * words, d * words + words);
          this.touched[count++] = d;
        }
        acc[d]! += q.weight * impacts[j]!;
        masks[d * words + word]! |= bit;
      }
    };
    const secondary = o.secondary ?? (() => false);
    for (const q of query) if (!secondary(q)) add(q, inScope);
    // Secondary terms reach only documents already found, unless nothing was.
    const found = count > 0;
    for (const q of query) if (secondary(q)) add(q, found ? () => false : inScope);

    const wordMask = new Uint32Array(words);
    for (const i of o.words ?? []) wordMask[i >>> 5]! |= 1 << (i & 31);
    const { scores, sorted, touched } = this;
    for (let i = 0; i < count; i++) {
      const d = touched[i]!;
      let distinct = 0;
      for (let w = 0; w < words; w++) distinct += popcount(masks[d * words + w]!);
      scores[i] = acc[d]! * distinct;
    }
    // The limit-th best score, found on a sorted copy (typed-array sort: numeric, no comparator).
    let threshold = -Infinity;
    if (count > o.limit) {
      sorted.set(scores.subarray(0, count));
      threshold = sorted.subarray(0, count).sort()[count - o.limit]!;
    }
    const out: ScoredDoc[] = [];
    for (let i = 0; i < count; i++) {
      if (scores[i]! < threshold) continue;
      const d = touched[i]!;
      let matched = 0;
      for (let w = 0; w < words; w++) matched += popcount(masks[d * words + w]! & wordMask[w]!);
      out.push({ doc: d, key: this.p.keys[d]!, score: scores[i]!, words: matched });
    }
    out.sort((a, b) => b.score - a.score || a.doc - b.doc);
    if (out.length > o.limit) out.length = o.limit;
    return out;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
