import { describe, it, expect, beforeAll } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { memoryConversation } from "../../src/engine/memory-conversation.js";
import type { Engine } from "../../src/engine/engine.js";
import type { Inbound } from "../../src/engine/messages.js";
import { realEngine } from "../helpers.js";

/**
 * Readable dialogue scripts: each step is what the person does (says, chooses a button, sends a command or a
 * location) and what the bot's reply must contain, offer or flag.
 */
const Step = z.object({
  say: z.string().optional(),
  choose: z.string().optional(),
  command: z.enum(["start", "language", "human", "privacy", "delete"]).optional(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  file: z.string().optional(),
  expect: z.object({
    contains: z.array(z.string()).default([]),
    not_contains: z.array(z.string()).default([]),
    services: z.array(z.string()).default([]),
    offers: z.array(z.string()).default([]),
    urgent: z.boolean().optional(),
    handoff: z.boolean().optional(),
    lang: z.string().optional(),
    silent: z.boolean().optional(),
    state: z.string().optional(),
  }).default({ contains: [], not_contains: [], services: [], offers: [] }),
}).strict();
const Script = z.object({ title: z.string(), steps: z.array(Step).min(1) }).strict();

const dir = join(import.meta.dirname, "scripts");
const scripts = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().map((f) => ({ file: f, ...Script.parse(parse(readFileSync(join(dir, f), "utf8"))) }));

let engine: Engine;
beforeAll(async () => {
  engine = (await realEngine()).engine;
});

function inbound(step: z.infer<typeof Step>): Inbound {
  if (step.say !== undefined) return { kind: "text", text: step.say };
  if (step.choose !== undefined) return { kind: "choice", value: step.choose };
  if (step.command) return { kind: "command", command: step.command };
  if (step.location) return { kind: "location", ...step.location };
  if (step.file !== undefined) return { kind: "file", name: step.file };
  throw new Error("a step needs say, choose, command, location or file");
}

describe("conversation scripts", () => {
  it("has at least 40 scripts across at least 10 languages", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(40);
    const langs = new Set(scripts.flatMap((s) => s.steps.map((st) => st.expect.lang).filter(Boolean)));
    expect(langs.size).toBeGreaterThanOrEqual(10);
  });

  it.each(scripts.map((s) => [s.file, s] as const))("%s", async (_f, script) => {
    const conv = memoryConversation("test");
    for (const [i, step] of script.steps.entries()) {
      const where = `${script.title}, step ${i + 1}`;
      const d = await engine.turn(conv, inbound(step));
      const text = d.messages.map((m) => m.text).join("\n");
      const e = step.expect;
      if (e.silent) expect(d.messages, where).toEqual([]);
      for (const c of e.contains) expect(text.toLowerCase(), `${where}: reply contains "${c}"`).toContain(c.toLowerCase());
      for (const c of e.not_contains) expect(text.toLowerCase(), `${where}: reply must not contain "${c}"`).not.toContain(c.toLowerCase());
      const names = d.services.map((s) => `${s.id} ${s.name}`).join(" | ");
      for (const s of e.services) expect(names, `${where}: services include /${s}/`).toMatch(new RegExp(s, "i"));
      const offered = d.messages.flatMap((m) => m.quickReplies ?? []).map((q) => `${q.value} ${q.label}`).join(" | ");
      for (const o of e.offers) expect(offered, `${where}: offers /${o}/`).toMatch(new RegExp(o, "i"));
      if (e.urgent !== undefined) expect(conv.urgent, `${where}: urgent`).toBe(e.urgent);
      if (e.handoff !== undefined) expect(d.handoff, `${where}: handoff`).toBe(e.handoff);
      if (e.lang) expect(conv.lang, `${where}: language`).toBe(e.lang);
      if (e.state) expect(conv.state, `${where}: state`).toBe(e.state);
    }
  });
});
