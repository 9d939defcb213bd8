import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fromRoot } from "../root.js";

/**
 * eld's "small" language detector, built quickly. eld ships its n-gram table as one 1.6 MB JavaScript object
 * literal: evaluating it takes about a second at start-up and leaves some 100 MB of resident memory (the parser's
 * and the literal's copies) for a table that needs 23 MB of heap. `npm run build` writes the table as JSON
 * (dist/eld-small-<version>-<languages>.json, by src/cli/eld-json.ts), keeping only the scores of the languages eld is
 * asked to choose among (ELD_LANGUAGES): 22,000 of its 81,000 n-grams, about a quarter of the memory. eld scores each
 * language on its own and the detectors are restricted to those languages, so the answers are the same. When that
 * file is there, the detectors are built from it (JSON.parse, under 0.1 s) with eld's own code, else from eld's module
 * (before any build: tests and CLIs on a fresh clone). test/build/dist-start.test.ts checks both give the same results.
 */

type Eld = (typeof import("eld/small"))["eld"];
/** eld's data format (src/ngrams/*.js): language codes by index, and for each n-gram a score per language index. */
export interface NgramsData {
  type: string;
  languages: Record<string, string>;
  ngrams: Record<string, Record<string, number>>;
}

/** The languages detect.ts lets eld choose among: Latin-script ones, and Arabic-script ones. */
export const ELD_LATIN = ["it", "en", "fr", "es", "ro", "sq", "tl"];
export const ELD_ARABIC_SCRIPT = ["ar", "fa", "ur"];
const ELD_LANGUAGES = [...ELD_LATIN, ...ELD_ARABIC_SCRIPT].sort();

// eld's package exports only its entries: its other files are found next to the "small" one.
const entry = import.meta.resolve("eld/small");
const version = (JSON.parse(readFileSync(new URL("../../package.json", entry), "utf8")) as { version: string }).version;

/** The JSON copy of the table, named by eld's version and the languages kept, so that it is never stale. */
export const eldJsonPath = (): string => fromRoot("dist", `eld-small-${version}-${ELD_LANGUAGES.join("-")}.json`);

/** A maker of independent detectors over the "small" table (each with its own language subset). */
export async function eldFactory(): Promise<() => Eld> {
  const json = eldJsonPath();
  if (!existsSync(json)) {
    const { eld } = await import("eld/small");
    return () => eld.newInstance();
  }
  const data = JSON.parse(readFileSync(json, "utf8")) as NgramsData;
  const { createEld } = (await import(new URL("../languageDetector.js", entry).href)) as {
    createEld: () => { instance: Eld; loadData: (data: NgramsData) => string };
  };
  // What eld's static entries do (createEld, then loadData), over one shared table.
  return () => {
    const { instance, loadData } = createEld();
    if (!loadData(data)) throw new Error(`eld: ${json} is not an n-gram table`);
    return instance;
  };
}

/** eld's table with the scores of `languages` only (n-grams left without any are dropped); language numbers kept. */
export function restrictTable(data: NgramsData, languages: readonly string[]): NgramsData {
  const keep = new Set(Object.entries(data.languages).filter(([, code]) => languages.includes(code)).map(([i]) => i));
  const ngrams: NgramsData["ngrams"] = {};
  for (const [ngram, scores] of Object.entries(data.ngrams)) {
    const kept = Object.entries(scores).filter(([i]) => keep.has(i));
    if (kept.length) ngrams[ngram] = Object.fromEntries(kept);
  }
  return { ...data, ngrams };
}

/** eld's own table (its "small" module). */
export async function eldTable(): Promise<NgramsData> {
  return ((await import(new URL("../ngrams/small.js", entry).href)) as { ngramsData: NgramsData }).ngramsData;
}

/** Writes the JSON copy of the table (build time); false when it was already there. */
export async function writeEldJson(): Promise<boolean> {
  const json = eldJsonPath();
  if (existsSync(json)) return false;
  writeFileSync(`${json}.tmp`, JSON.stringify(restrictTable(await eldTable(), ELD_LANGUAGES)));
  // Renamed at the end: a build stopped half-way never leaves a truncated table behind.
  renameSync(`${json}.tmp`, json);
  return true;
}
