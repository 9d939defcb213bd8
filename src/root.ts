import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project folder: the nearest one above this file with a package.json. The same folder whether the code runs
 * from its sources (src/root.ts under tsx) or compiled (dist/src/root.js under node), so assets (prompts/,
 * adapters/webchat/public, src/store/migrations, src/language/locales) are read where they are, never copied to dist.
 */
function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json in ${from} or above it`);
    dir = up;
  }
}

const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const projectRoot = (): string => ROOT;
/** A path inside the project, e.g. fromRoot("prompts"). */
export const fromRoot = (...parts: string[]): string => resolve(ROOT, ...parts);
/**
 * The text of some source files, read from src/ also when the code runs from dist/: what a cache is keyed on, so that a
 * change to the code that fills it invalidates it as surely as new content.
 */
export const sourceText = (dir: string, files: string[]): string => files.map((f) => readFileSync(resolve(ROOT, dir, f), "utf8")).join("\n");
