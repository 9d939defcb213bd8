import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fromRoot } from "../root.js";

/**
 * Prompt templates live in prompts/<name>.v<N>.md, one file per use and per version, so a change of wording is a
 * new file (reviewable, and the version is recorded with every LLM result). A file has two sections, `## system`
 * and `## user`; HTML comments (<!-- … -->) are notes for people and are dropped. Placeholders are `{{name}}`,
 * filled by code in one pass: a value that itself contains `{{x}}` (a person's message) is never expanded.
 */

export type PromptName = "answer" | "understand" | "translate";

export interface PromptTemplate {
  /** "answer.v1": recorded with each result, so an answer can be traced to the wording that produced it. */
  id: string;
  name: PromptName;
  version: number;
  system: string;
  user: string;
  placeholders: string[];
}

export interface FilledPrompt {
  id: string;
  system: string;
  user: string;
}

const DEFAULT_DIR = fromRoot("prompts");
const cache = new Map<string, PromptTemplate>();

/** The project's prompts/ folder (tests may pass another folder to loadPrompt). */
export function promptsDir(): string {
  return DEFAULT_DIR;
}

const PLACEHOLDER = /\{\{([a-z_][a-z0-9_]*)\}\}/g;

export function parsePrompt(name: PromptName, version: number, source: string): PromptTemplate {
  const body = source.replace(/<!--[\s\S]*?-->/g, "");
  const m = body.match(/^##\s*system\s*$([\s\S]*?)^##\s*user\s*$([\s\S]*)$/im);
  if (!m) throw new Error(`prompt ${name}.v${version}: needs a "## system" and a "## user" section`);
  const system = m[1]!.trim();
  const user = m[2]!.trim();
  const placeholders = [...new Set([...`${system}\n${user}`.matchAll(PLACEHOLDER)].map((x) => x[1]!))];
  return { id: `${name}.v${version}`, name, version, system, user, placeholders };
}

/** The template `name`, at `version` or else the highest version in the prompts folder. */
export function loadPrompt(name: PromptName, version?: number, dir = promptsDir()): PromptTemplate {
  const key = `${dir}|${name}|${version ?? "latest"}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const versions = readdirSync(dir)
    .map((f) => f.match(new RegExp(`^${name}\\.v(\\d+)\\.md$`)))
    .filter((x): x is RegExpMatchArray => x !== null)
    .map((x) => Number(x[1]))
    .sort((a, b) => b - a);
  const v = version ?? versions[0];
  if (v === undefined || !versions.includes(v)) throw new Error(`no prompt ${name}${version ? `.v${version}` : ""} in ${dir}`);
  const t = parsePrompt(name, v, readFileSync(resolve(dir, `${name}.v${v}.md`), "utf8"));
  cache.set(key, t);
  return t;
}

/** Fills every placeholder; a missing or an unexpected value is a programming error and throws. */
export function fillPrompt(t: PromptTemplate, values: Record<string, string>): FilledPrompt {
  const missing = t.placeholders.filter((p) => !(p in values));
  if (missing.length) throw new Error(`prompt ${t.id}: no value for ${missing.join(", ")}`);
  const extra = Object.keys(values).filter((k) => !t.placeholders.includes(k));
  if (extra.length) throw new Error(`prompt ${t.id}: unknown placeholder ${extra.join(", ")}`);
  const fill = (s: string) => s.replace(PLACEHOLDER, (_, k: string) => values[k]!);
  return { id: t.id, system: fill(t.system), user: fill(t.user) };
}
