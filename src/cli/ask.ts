import { createInterface } from "node:readline";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { createEngine } from "../app.js";
import { memoryConversation } from "../engine/memory-conversation.js";
import { MAX_TEXT } from "../engine/messages.js";
import { projectRoot } from "./paths.js";

/**
 * ask "question"           prints the bot's answer
 * ask --jsonl              reads {"id","text"} lines on stdin, writes one JSON line per question:
 *                          {"id","lang","services":[{"id","name"}],"reply","urgent","handoff"}
 */
const Line = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string().max(MAX_TEXT) });

async function main() {
  const args = process.argv.slice(2);
  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" }, projectRoot());
  const { engine } = await createEngine(config);

  const ask = async (text: string) => {
    const conv = memoryConversation();
    const d = await engine.turn(conv, { kind: "text", text });
    return { conv, d };
  };

  if (args.includes("--jsonl")) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const raw of rl) {
      n++;
      if (!raw.trim()) continue;
      let parsed: z.infer<typeof Line>;
      try {
        parsed = Line.parse(JSON.parse(raw));
      } catch (e) {
        process.stdout.write(JSON.stringify({ line: n, error: e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : "not valid JSON" }) + "\n");
        continue;
      }
      const { conv, d } = await ask(parsed.text);
      process.stdout.write(
        JSON.stringify({
          id: parsed.id,
          lang: conv.lang,
          services: d.services.slice(0, 5),
          reply: d.messages.map((m) => m.text).join("\n\n"),
          urgent: conv.urgent,
          handoff: d.handoff,
        }) + "\n",
      );
    }
    return;
  }
  const question = args.filter((a) => !a.startsWith("--")).join(" ").trim();
  if (!question) {
    process.stderr.write('usage: ask "question" | ask --jsonl < questions.jsonl\n');
    process.exit(2);
  }
  const { d } = await ask(question);
  process.stdout.write(d.messages.map((m) => m.text).join("\n\n") + "\n");
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
