import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot, startArgs } from "../../src/cli/paths.js";
import { ELD_ARABIC_SCRIPT, ELD_LATIN, eldFactory, eldJsonPath, eldTable, type NgramsData } from "../../src/language/eld.js";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { knowledgeDir } from "../../src/cli/paths.js";
import type { Lang } from "../../src/language/languages.js";
import { copyIndexCache } from "../helpers.js";
import { freePort } from "../../src/cli/free-port.js";

/**
 * The compiled server, as `npm start` and the Dockerfile run it: `npm run build`, then `node [flags] dist/src/main.js`.
 * The other tests run the sources through tsx; this one checks that dist/ starts, finds its pages, prompts,
 * migrations and locales from the project root, answers, and stops cleanly.
 */
const root = projectRoot();
let child: ChildProcess | undefined;
let dataDir: string | undefined;

beforeAll(() => {
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}, 180_000);

afterAll(() => {
  child?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});


describe("compiled server (dist)", () => {
  it("the Dockerfile runs the server as npm start does", () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"))?.[1];
    expect(cmd).toBeDefined();
    const args = startArgs();
    expect(JSON.parse(cmd!)).toEqual(["node", ...args.slice(0, -1), "dist/src/main.js"]);
  });

  it("the build's JSON copy of eld's table, cut to our languages, detects as eld's own table", async () => {
    const copy = JSON.parse(readFileSync(eldJsonPath(), "utf8")) as NgramsData;
    const original = await eldTable();
    expect(copy.languages).toEqual(original.languages);
    expect(Object.keys(copy.ngrams).length).toBeLessThan(Object.keys(original.ngrams).length / 2);
    const fromCopy = await eldFactory();
    const { eld } = await import("eld/small");
    // Whole summaries and their first three words, in every language eld is asked about.
    const kb = loadKnowledge(knowledgeDir());
    for (const subset of [ELD_LATIN, ELD_ARABIC_SCRIPT]) {
      const a = fromCopy();
      const b = eld.newInstance();
      a.setLanguageSubset(subset);
      b.setLanguageSubset(subset);
      const texts = kb.services.slice(0, 40).flatMap((sv) => subset.map((l) => sv.text[l as Lang]?.summary ?? "")).filter(Boolean);
      expect(texts.length).toBeGreaterThan(100);
      for (const text of [...texts, ...texts.map((t) => t.split(" ").slice(0, 3).join(" "))]) {
        const [ra, rb] = [a.detect(text), b.detect(text)];
        expect(ra.language).toBe(rb.language);
        expect(ra.getScores()).toEqual(rb.getScores());
      }
    }
  });

  it("starts, serves the pages and the web chat, and exits 0 on SIGTERM", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "orienta-dist-"));
    // The tests' index cache, when another test built it (the compiled code may still rebuild it: a few seconds).
    copyIndexCache(dataDir);
    const port = await freePort();
    let output = "";
    // From another folder: nothing may depend on the working directory but DATA_DIR and KNOWLEDGE_DIR.
    child = spawn(process.execPath, startArgs(), {
      cwd: tmpdir(),
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, KNOWLEDGE_DIR: join(root, "knowledge"), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d) => (output += String(d)));
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    for (let i = 0; i < 480 && !output.includes("listening") && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 250));
    expect(output).toContain("orienta is listening");
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    const widget = await fetch(`${base}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toMatch(/javascript/);
    expect((await widget.text()).length).toBeGreaterThan(100);
    const operator = await fetch(`${base}/operator`);
    expect(operator.status).toBe(200);
    expect(await operator.text()).toMatch(/<html/i);

    const created = await fetch(`${base}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lang: "it" }) });
    expect(created.status).toBe(201);
    const s = (await created.json()) as { sessionId: string; token: string };
    const r = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text: "non ho dove dormire stanotte" }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { messages: { from: string; text: string }[] };
    const bot = body.messages.filter((m) => m.from === "bot");
    expect(bot.length).toBeGreaterThan(0);
    expect(bot.some((m) => m.text.length > 20)).toBe(true);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped");
  }, 180_000);
});
