import { createHash } from "node:crypto";
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { join, basename } from "node:path";
import { sourceText } from "../root.js";
import { createRequire } from "node:module";
import type { z } from "zod";
import {
  ServiceSchema, AreasFileSchema, GlossaryFileSchema,
  type Service, type AreasFile, type GlossaryFile,
} from "./schema.js";

export interface KnowledgeBase {
  services: Service[];
  byId: Map<string, Service>;
  areas: AreasFile;
  glossary: GlossaryFile;
}

/** One problem found while loading: the file and the field it is in. */
export interface KnowledgeError {
  file: string;
  field: string;
  message: string;
}

export class KnowledgeLoadError extends Error {
  constructor(readonly errors: KnowledgeError[]) {
    super(
      `knowledge base has ${errors.length} error(s):\n` +
        errors.slice(0, 50).map((e) => `  ${e.file}: ${e.field || "(file)"}: ${e.message}`).join("\n"),
    );
  }
}

function zodErrors(file: string, error: z.ZodError): KnowledgeError[] {
  return error.issues.map((i) => ({ file, field: i.path.map(String).join("."), message: i.message }));
}

/** The YAML parser, loaded on first use: a start that reads the cached copy never needs it. */
let parseYaml: ((text: string) => unknown) | undefined;

function readYaml(path: string, errors: KnowledgeError[]): unknown {
  try {
    parseYaml ??= (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse;
    return parseYaml(readFileSync(path, "utf8"));
  } catch (e) {
    errors.push({ file: path, field: "", message: `not valid YAML: ${(e as Error).message.split("\n")[0]}` });
    return undefined;
  }
}

/** Cross-field rules the schema alone cannot state: file name = id, every `source` names a listed source. */
function checkReferences(file: string, s: Service): KnowledgeError[] {
  const errors: KnowledgeError[] = [];
  const ids = new Set(s.sources.map((x) => x.id));
  const ref = (field: string, id: string | undefined) => {
    if (id !== undefined && !ids.has(id)) errors.push({ file, field, message: `source "${id}" is not in sources` });
  };
  if (basename(file, ".yaml") !== s.id) errors.push({ file, field: "id", message: `id "${s.id}" must match the file name` });
  const c = s.criteria;
  ref("criteria.residence.source", c.residence.source);
  if (c.residence.required !== "unknown" && !c.residence.source)
    errors.push({ file, field: "criteria.residence.source", message: "a known residence rule needs a source" });
  ref("criteria.legal_status.source", c.legal_status.source);
  if (c.legal_status.accepted !== "unknown" && !c.legal_status.source)
    errors.push({ file, field: "criteria.legal_status.source", message: "a known legal-status rule needs a source" });
  for (const k of ["age", "isee_max", "household_with_minors", "disability_certification", "gender"] as const)
    ref(`criteria.${k}.source`, c[k]?.source);
  c.notes?.forEach((n, i) => ref(`criteria.notes.${i}.source`, n.source));
  s.contacts.forEach((ct, i) => ref(`contacts.${i}.source`, ct.source));
  return errors;
}

/** Validates one service file (schema and source references); the errors name the file and field. */
export function validateServiceFile(path: string): { service?: Service; errors: KnowledgeError[] } {
  const errors: KnowledgeError[] = [];
  const raw = readYaml(path, errors);
  if (raw === undefined) return { errors };
  const parsed = ServiceSchema.safeParse(raw);
  if (!parsed.success) return { errors: zodErrors(path, parsed.error) };
  return { service: parsed.data, errors: checkReferences(path, parsed.data) };
}

/** The code that reads and checks the files: a change to it invalidates a cached copy as surely as new content. */
const LOADING_CODE = sourceText("src/knowledge", ["load.ts", "schema.ts"]);

/** The service files of a knowledge folder (services/*.yaml), sorted. */
function serviceFiles(dir: string): string[] {
  const servicesDir = join(dir, "services");
  return existsSync(servicesDir) ? readdirSync(servicesDir).filter((f) => f.endsWith(".yaml")).sort().map((f) => join(servicesDir, f)) : [];
}

/**
 * The knowledge base, checked. With `cacheDir`, a checked copy is kept there as JSON under a hash of every file's
 * content (and of the code that checks them): a start with unchanged files reads that copy, about ten times faster
 * than parsing the YAML again. Without it (the `kb` CLI, tests) the files are always parsed and checked.
 */
export function loadKnowledge(dir: string, opts: { cacheDir?: string } = {}): KnowledgeBase {
  if (!opts.cacheDir) return parseKnowledge(dir);
  const h = createHash("sha256").update(LOADING_CODE);
  for (const path of [...serviceFiles(dir), join(dir, "areas.yaml"), join(dir, "glossary.yaml")]) {
    h.update(`\0${basename(path)}\0`);
    if (existsSync(path)) h.update(readFileSync(path));
  }
  const cached = join(opts.cacheDir, `${h.digest("hex").slice(0, 16)}.json`);
  if (existsSync(cached)) {
    try {
      const { services, areas, glossary } = JSON.parse(readFileSync(cached, "utf8")) as Omit<KnowledgeBase, "byId">;
      return { services, byId: new Map(services.map((s) => [s.id, s])), areas, glossary };
    } catch {
      // A damaged copy: parsed again below.
    }
  }
  const kb = parseKnowledge(dir);
  mkdirSync(opts.cacheDir, { recursive: true });
  // Copies of earlier versions of the files are of no further use.
  for (const f of readdirSync(opts.cacheDir)) if (f.endsWith(".json")) rmSync(join(opts.cacheDir, f), { force: true });
  writeFileSync(`${cached}.tmp-${process.pid}`, JSON.stringify({ services: kb.services, areas: kb.areas, glossary: kb.glossary }));
  renameSync(`${cached}.tmp-${process.pid}`, cached);
  return kb;
}

function parseKnowledge(dir: string): KnowledgeBase {
  const errors: KnowledgeError[] = [];
  const servicesDir = join(dir, "services");
  const files = serviceFiles(dir);
  if (files.length === 0) errors.push({ file: servicesDir, field: "", message: "no service files found" });
  const services: Service[] = [];
  for (const path of files) {
    const r = validateServiceFile(path);
    errors.push(...r.errors);
    if (r.service) services.push(r.service);
  }
  const byId = new Map<string, Service>();
  for (const s of services) {
    if (byId.has(s.id)) errors.push({ file: join(servicesDir, `${s.id}.yaml`), field: "id", message: "duplicate id" });
    byId.set(s.id, s);
  }
  for (const s of services)
    for (const a of s.ask ?? [])
      if (!byId.has(a)) errors.push({ file: join(servicesDir, `${s.id}.yaml`), field: "ask", message: `unknown service "${a}"` });

  const areasPath = join(dir, "areas.yaml");
  const areasParsed = AreasFileSchema.safeParse(readYaml(areasPath, errors) ?? {});
  if (!areasParsed.success) errors.push(...zodErrors(areasPath, areasParsed.error));
  const glossaryPath = join(dir, "glossary.yaml");
  const glossaryParsed = GlossaryFileSchema.safeParse(readYaml(glossaryPath, errors) ?? {});
  if (!glossaryParsed.success) errors.push(...zodErrors(glossaryPath, glossaryParsed.error));

  if (errors.length > 0 || !areasParsed.success || !glossaryParsed.success) throw new KnowledgeLoadError(errors);
  return { services, byId, areas: areasParsed.data, glossary: glossaryParsed.data };
}
