import SearchableMap from "minisearch/SearchableMap";

/**
 * Typo and inflection tolerance, looked up in the vocabulary of the languages a question is searched in.
 *
 * MiniSearch's own fuzzy and prefix matching walks the whole term tree of the index, which holds the words, stems and
 * phrase pairs of all 18 languages: measured here, one word at edit distance 2 cost ~2 ms against that tree and ~0.2 ms
 * against the words of three languages. A question is only ever compared with documents in its own language, Italian
 * and English, so the expansion is done here, against one tree per language (built on first use), and the expanded
 * words go to MiniSearch as exact terms with MiniSearch's own weights (same formulas, same scale).
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

export class TypoExpander {
  private readonly trees = new Map<string, SearchableMap<true>>();

  /** @param vocabulary the terms of the index in one language. */
  constructor(private readonly vocabulary: (lang: string) => Iterable<string>) {}

  private tree(lang: string): SearchableMap<true> {
    let t = this.trees.get(lang);
    if (!t) {
      t = new SearchableMap<true>();
      for (const w of this.vocabulary(lang)) t.set(w, true);
      this.trees.set(lang, t);
    }
    return t;
  }

  /**
   * The word itself and the index words of `langs` it may stand for. A word that is a prefix match is not also counted
   * as fuzzy (MiniSearch's rule); a word found in several languages counts once.
   */
  expand(word: string, langs: readonly string[], o: ExpandOptions): Expansion[] {
    const out: Expansion[] = [{ term: word, weight: 1 }];
    if (!o.prefix && !o.fuzzy) return out;
    const trees = langs.map((l) => this.tree(l));
    const seen = new Set([word]);
    if (o.prefix)
      for (const tree of trees)
        for (const [term] of tree.atPrefix(word)) {
          if (seen.has(term)) continue;
          seen.add(term);
          const distance = term.length - word.length;
          out.push({ term, weight: (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance) });
        }
    if (o.fuzzy) {
      const maxDistance = Math.min(MAX_FUZZY, Math.round(word.length * o.fuzzy));
      if (maxDistance)
        for (const tree of trees)
          for (const [term, [, distance]] of tree.fuzzyGet(word, maxDistance)) {
            if (seen.has(term) || !distance) continue;
            seen.add(term);
            out.push({ term, weight: (FUZZY_WEIGHT * term.length) / (term.length + distance) });
          }
    }
    return out;
  }
}
