import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import { foldText } from "./text.js";

/**
 * Local, offline, deterministic embeddings: hashed character n-grams (2-4) and whole words,
 * signed feature hashing into `dimensions` buckets, L2-normalised. It works for every script
 * (Ge'ez, Bengali, Han ...) because it needs no vocabulary, and it tolerates typos and inflection.
 */
export class HashNgramEmbeddings extends Embeddings {
  readonly id: string;
  constructor(readonly dimensions = 512, params: EmbeddingsParams = {}) {
    super(params);
    this.id = `hash-ngram-v1-${dimensions}`;
  }

  embedText(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    const words = foldText(text).split(" ").filter(Boolean);
    for (const w of words) {
      add(v, `w:${w}`, 2);
      const cps = Array.from(` ${w} `);
      for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= cps.length; i++) add(v, cps.slice(i, i + n).join(""), 1);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedText(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}

/** FNV-1a, 32 bit: fast, and stable across runs and machines (the index is persisted). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function add(v: Float64Array, feature: string, weight: number) {
  const h = fnv1a(feature);
  v[h % v.length]! += (h & 0x80000000 ? -1 : 1) * weight;
}
