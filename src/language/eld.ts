import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fromRoot } from "../root.js";

/**
 * eld's "small" language detector, built quickly. eld ships its n-gram table as one 1.6 MB JavaScript object
 * literal: evaluating it takes about a second at start-up and leaves some 100 MB of resident memory (the parser's
 * and the literal's copies) for a table that needs 23 MB of heap. `npm run build` writes the same table as JSON
 * (dist/eld-small-<version>.json, by src/cli/eld-json.ts); when that file is there, the detectors are built from it
 * (JSON.parse, 0.1–0.2 s) with eld's own code, else from eld's module as before (before any build: tests and CLIs on
 * a fresh clone). Either way the detectors are the same code over the same data (test/build/dist-start.test.ts).
 */

type Eld = (typeof import("eld/small"))["eld"];
/** eld's data format (src/ngrams/*.js): language codes by index, and for each n-gram a score per language index. */
interface NgramsData {
  type: string;
  languages: Record<string, string>;
  ngrams: Record<string, Record<string, number>>;
}

// eld's package exports only its entries: its other files are found next to the "small" one.
const entry = import.meta.resolve("eld/small");
const version = (JSON.parse(readFileSync(new URL("../../package.json", entry), "utf8")) as { version: string }).version;

/** The JSON copy of the table, named by eld's version so that an upgrade never reads a stale copy. */
export const eldJsonPath = (): string => fromRoot("dist", `eld-small-${version}.json`);

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

/** Writes the JSON copy of the table (build time); false when it was already there. */
export async function writeEldJson(): Promise<boolean> {
  const json = eldJsonPath();
  if (existsSync(json)) return false;
  const { ngramsData } = (await import(new URL("../ngrams/small.js", entry).href)) as { ngramsData: NgramsData };
  writeFileSync(`${json}.tmp`, JSON.stringify(ngramsData));
  // Renamed at the end: a build stopped half-way never leaves a truncated table behind.
  renameSync(`${json}.tmp`, json);
  return true;
}
