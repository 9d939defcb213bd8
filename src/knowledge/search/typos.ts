/**
 * Typo and inflection tolerance, looked up in the vocabulary of the languages a question is searched in.
 *
 * A question is only ever compared with documents in its own language, Italian and English, so its words are matched
 * against the index terms of those languages only: one sorted array of terms per language (built on first use). Prefix
 * matches are a binary search; fuzzy matches walk the sorted terms as a trie (terms sharing a prefix share the rows of
 * the edit-distance table computed for it, and a prefix already too far from the word skips every term that starts
 * with it). MiniSearch's radix tree did the same walk; these arrays hold the same terms in about a sixth of the memory
 * (under 1 MB instead of 19 MB for 18 languages), with the same results (test/knowledge/search/typos.test.ts compares them).
 * The expanded words reach the lexical index as exact terms, with MiniSearch's weights (same formulas, same scale).
 */

/** MiniSearch's default weights and its distance damping (see `executeQuerySpec`), so scores keep their scale. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/**
 * At most two edits, whatever the length of the word (MiniSearch allows up to 6: three for words of 13–17 letters).
 * Measured: a word at distance 3 cost ~3 times one at distance 2 and was most of the slowest turns (long Romanian and
 * Tagalog questions), and the dev-set ranking is the same but for one service at rank 9 of one question.
 */
const MAX_FUZZY = 2;

export interface Expansion {
  /** A term of the index. */
  term: string;
  /** 1 for the word itself, less for a prefix or fuzzy match. */
  weight: number;
}

export interface ExpandOptions {
  /** Words the question's word starts (at least this long). */
  prefix: boolean;
  /** Edit distance as a fraction of the word's length (MiniSearch's convention), or false. */
  fuzzy: number | false;
}

/** The first index in sorted `words` whose term is not below `key`. */
function lowerBound(words: readonly string[], key: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted terms, and for each the length of the prefix it shares with the next one (capped at 255). */
export interface Vocabulary {
  words: string[];
  shared: Uint8Array;
}

export function vocabulary(terms: Iterable<string>): Vocabulary {
  // Sorted by UTF-16 code units, the order the binary search compares in.
  const words = [...new Set(terms)].sort();
  const shared = new Uint8Array(words.length);
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i]!, words[i + 1]!];
    let k = 0;
    while (k < 255 && k < a.length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    shared[i] = k;
  }
  return { words, shared };
}

/** Terms of `words` that start with `prefix`, the prefix itself included when it is a term. */
export function withPrefix(words: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let i = lowerBound(words, prefix); i < words.length && words[i]!.startsWith(prefix); i++) out.push(words[i]!);
  return out;
}

/**
 * Terms of the vocabulary within `maxDistance` edits (Levenshtein: insert, delete, substitute) of `query`, with their
 * distance. The sorted terms are walked as a trie: rows of the table are kept per depth and reused while consecutive
 * terms share a prefix, and a prefix already too far from the query skips every term that starts with it.
 */
export function withinDistance({ words, shared }: Vocabulary, query: string, maxDistance: number): [string, number][] {
  const n = query.length;
  const out: [string, number][] = [];
  // rows[d] is the table row after the first d letters of the current term: rows[d][j] = distance(term[0..d), query[0..j)).
  const rows: Int32Array[] = [Int32Array.from({ length: n + 1 }, (_, j) => j)];
  /** Letters the current term shares with the previous one whose rows are valid. */
  let common = 0;
  let i = 0;
  while (i < words.length) {
    const term = words[i]!;
    let pruned = -1;
    for (let d = common; d < term.length; d++) {
      // Row r = d + 1: only the cells within maxDistance of the diagonal can stay within maxDistance (a band, as in
      // MiniSearch); the cells just outside it are set above the limit so the next row reads them as such.
      const r = d + 1;
      const lo = Math.max(1, r - maxDistance);
      const hi = Math.min(n, r + maxDistance);
      if (lo > hi) {
        // The term is already more than maxDistance letters longer than the query.
        pruned = r;
        break;
      }
      const prev = rows[d]!;
      const row = (rows[r] ??= new Int32Array(n + 1));
      row[lo - 1] = lo === 1 ? r : maxDistance + 1;
      if (hi < n) row[hi + 1] = maxDistance + 1;
      let min = row[lo - 1]!;
      const c = term.charCodeAt(d);
      for (let j = lo; j <= hi; j++) {
        let v = prev[j - 1]! + (query.charCodeAt(j - 1) === c ? 0 : 1);
        const del = prev[j]! + 1;
        if (del < v) v = del;
        const ins = row[j - 1]! + 1;
        if (ins < v) v = ins;
        row[j] = v;
        if (v < min) min = v;
      }
      if (min > maxDistance) {
        pruned = r;
        break;
      }
    }
    if (pruned < 0) {
      // Outside the band the cell is not computed: the lengths alone are too far apart.
      const distance = Math.abs(term.length - n) <= maxDistance ? rows[term.length]![n]! : maxDistance + 1;
      if (distance <= maxDistance) out.push([term, distance]);
      common = shared[i]!;
      i++;
      continue;
    }
    // Every term that starts with the first `pruned` letters is at least as far: skip them all. The next term shares
    // fewer letters than that with this one, and the rows of those stay valid.
    let k = i;
    while (k < words.length - 1 && shared[k]! >= pruned) k++;
    common = shared[k]!;
    i = k + 1;
  }
  return out;
}

export class TypoExpander {
  private readonly sorted = new Map<string, Vocabulary>();

  /** @param vocabulary the terms of the index in one language. */
  constructor(private readonly vocabulary: (lang: string) => Iterable<string>) {}

  private words(lang: string): Vocabulary {
    let v = this.sorted.get(lang);
    if (!v) this.sorted.set(lang, (v = vocabulary(this.vocabulary(lang))));
    return v;
  }

  /**
   * The word itself and the index words of `langs` it may stand for. A word that is a prefix match is not also counted
   * as fuzzy (MiniSearch's rule); a word found in several languages counts once.
   */
  expand(word: string, langs: readonly string[], o: ExpandOptions): Expansion[] {
    const out: Expansion[] = [{ term: word, weight: 1 }];
    if (!o.prefix && !o.fuzzy) return out;
    const vocabularies = langs.map((l) => this.words(l));
    const seen = new Set([word]);
    if (o.prefix)
      for (const words of vocabularies)
        for (const term of withPrefix(words.words, word)) {
          if (seen.has(term)) continue;
          seen.add(term);
          const distance = term.length - word.length;
          out.push({ term, weight: (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance) });
        }
    if (o.fuzzy) {
      const maxDistance = Math.min(MAX_FUZZY, Math.round(word.length * o.fuzzy));
      if (maxDistance)
        for (const words of vocabularies)
          for (const [term, distance] of withinDistance(words, word, maxDistance)) {
            if (seen.has(term) || !distance) continue;
            seen.add(term);
            out.push({ term, weight: (FUZZY_WEIGHT * term.length) / (term.length + distance) });
          }
    }
    return out;
  }
}
