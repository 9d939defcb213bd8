import { readFileSync } from "node:fs";
import { loadKnowledge, KnowledgeLoadError, validateServiceFile } from "../knowledge/load.js";
import { checkQuality } from "../knowledge/quality.js";
import { knowledgeDir, canonicalNamesPath } from "./paths.js";

const [command, ...rest] = process.argv.slice(2);

function usage(): never {
  process.stderr.write("usage: kb check | kb export --json | kb validate FILE...\n");
  process.exit(2);
}

if (command === "validate") {
  // Validates single service files without loading the whole base: for authors while they write.
  let bad = 0;
  for (const f of rest) {
    const { errors } = validateServiceFile(f);
    for (const e of errors) process.stdout.write(`${e.file}: ${e.field || "(file)"}: ${e.message}\n`);
    if (errors.length) bad++;
    else process.stdout.write(`${f}: ok\n`);
  }
  process.exit(bad ? 1 : 0);
}

try {
  const kb = loadKnowledge(knowledgeDir());
  if (command === "check") {
    const canonical = JSON.parse(readFileSync(canonicalNamesPath(), "utf8")) as { name: string }[];
    const r = checkQuality(kb, canonical);
    const out = process.stdout;
    out.write(`services: ${r.services}\nwith contacts: ${r.withContacts}\nwith structured criteria: ${r.withStructuredCriteria}\n`);
    out.write(`areas: ${kb.areas.municipi.length} municipi, ${kb.areas.municipalities.length} municipalities; glossary terms: ${kb.glossary.terms.length}\n`);
    out.write("language completeness (services with summary, how_to_access and keywords):\n");
    for (const [l, n] of Object.entries(r.languageCompleteness)) out.write(`  ${l}: ${n}/${r.services}\n`);
    if (r.problems.length) {
      out.write(`problems (${r.problems.length}):\n${r.problems.map((p) => `  ${p}`).join("\n")}\n`);
      process.exit(1);
    }
    out.write("ok\n");
  } else if (command === "export" && rest.includes("--json")) {
    process.stdout.write(JSON.stringify(kb.services, null, 2) + "\n");
  } else usage();
} catch (e) {
  if (e instanceof KnowledgeLoadError) {
    process.stderr.write(e.message + "\n");
    process.exit(1);
  }
  throw e;
}
