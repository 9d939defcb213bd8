import { readFileSync } from "node:fs";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { createEngine } from "../app.js";
import { memoryConversation } from "../engine/memory-conversation.js";
import { projectRoot } from "./paths.js";
import { scoreRun, type EvalItem, type EvalOutcome, formatReport } from "../knowledge/evaluate.js";

const Item = z.object({
  id: z.string(),
  lang: z.string(),
  text: z.string(),
  expect: z.array(z.string()).default([]),
  urgent: z.boolean().default(false),
  handoff: z.boolean().default(false),
});

async function main() {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: eval FILE.jsonl [--misses]\n");
    process.exit(2);
  }
  const items: EvalItem[] = readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => Item.parse(JSON.parse(l)));
  const { engine, kb } = await createEngine(loadConfig({ ...process.env, LOG_LEVEL: "silent" }, projectRoot()));
  const outcomes: EvalOutcome[] = [];
  for (const item of items) {
    const conv = memoryConversation();
    const d = await engine.turn(conv, { kind: "text", text: item.text });
    outcomes.push({ item, services: d.services.map((s) => s.id), lang: conv.lang, urgent: conv.urgent });
  }
  const report = scoreRun(kb, outcomes);
  process.stdout.write(formatReport(report, process.argv.includes("--misses")));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
