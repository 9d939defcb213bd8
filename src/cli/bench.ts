/**
 * `npm run bench`: engine latency (real knowledge base and a synthetic one 100 times larger), index build and
 * start-up times, web chat throughput under load against a bare express endpoint, memory. Prints figures and a
 * final table against the targets. Everything runs on this machine: servers listen on 127.0.0.1 only, and every
 * loop is bounded in count and in time (the whole run takes about four minutes on two cores).
 *
 * The engine figures are measured in this process; the start-up and the web chat under load in separate processes
 * running the compiled server as `npm start` does (`node dist/src/…`, built first with `npm run build`), so their
 * time and memory are the server's alone.
 *
 * Options (environment): BENCH_HTTP_SECONDS (default 10), BENCH_CONNECTIONS (default 50),
 * TEST_DATABASE_URL or DATABASE_URL (adds the PostgreSQL run), BENCH_ONLY (some of engine,startup,http,synthetic).
 */
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, cpus, totalmem, loadavg } from "node:os";
import { join, resolve } from "node:path";
import express from "express";
import { loadConfig } from "../config.js";
import { projectRoot, startArgs } from "./paths.js";
import { loadKnowledge, type KnowledgeBase } from "../knowledge/load.js";
import { HybridIndex } from "../knowledge/search/index.js";
import { createEmbeddings } from "../knowledge/search/embeddings-factory.js";
import type { Service } from "../knowledge/schema.js";
import type { Lang } from "../language/languages.js";
import { Engine } from "../engine/engine.js";
import { memoryConversation } from "../engine/memory-conversation.js";
import type { LoadJob, LoadResult } from "../bench/load-worker.js";
import { freePort } from "./free-port.js";

const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/**
 * A load run of this length before each measured one (same connections, same texts), not counted: the figures are
 * those of a warm server. A cold server's first seconds are slower (code not yet optimised; first question in each
 * language), and with PGlite the first requests under continuous load can wait several seconds: see BENCHMARKS.md.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SESSIONS = 50;
const SECTIONS = ["engine", "startup", "http", "synthetic"] as const;
/** The sections to run (BENCH_ONLY=http,startup): all by default. The real index is built whatever is chosen. */
const ONLY = new Set((process.env.BENCH_ONLY ?? SECTIONS.join(",")).split(",").map((x) => x.trim()).filter(Boolean));
for (const x of ONLY) if (!(SECTIONS as readonly string[]).includes(x)) throw new Error(`BENCH_ONLY: unknown section "${x}" (sections: ${SECTIONS.join(", ")})`);
/** Languages indexed in the synthetic knowledge base: all 18 would take over ten minutes to index here. */
const SYNTHETIC_LANGS: Lang[] = ["it", "en"];
const SCALE = 100;

const out = (line = "") => process.stdout.write(`${line}\n`);
const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : NaN);
const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);
const since = (t: number) => performance.now() - t;

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Questions

const BUILT_IN: string[] = [
  "non ho dove dormire stanotte",
  "Non riesco a pagare l'affitto, ho ricevuto lo sfratto",
  "cerco un centro diurno per mia madre anziana",
  "dove posso fare la domanda per l'assegno di inclusione?",
  "I lost my job and need help with food for my children",
  "Where can I learn Italian for free?",
  "Je cherche un dortoir pour la nuit à Milan",
  "Necesito ayuda para pagar las facturas de luz",
  "أحتاج إلى مساعدة قانونية بخصوص تصريح الإقامة",
  "Мені потрібна допомога з житлом у Мілані",
  "Мне нужна психологическая помощь",
  "我需要找一个免费的医生",
  "আমার থাকার জায়গা নেই",
  "Kailangan ko ng tulong sa paghahanap ng trabaho",
  "මට නවාතැනක් අවශ්‍යයි",
  "مجھے کھانے کی مدد چاہیے",
  "به کمک حقوقی برای پناهندگی نیاز دارم",
  "زه د کار په لټه کې یم",
  "Waxaan u baahanahay caawimaad xagga caafimaadka",
  "ናይ መንበሪ ገዛ ሓገዝ የድልየኒ",
  "Kam nevojë për ndihmë me dokumentet",
  "Am nevoie de ajutor pentru chirie",
];

function questionSet(): { texts: string[]; source: string } {
  const file = resolve(projectRoot(), "../shared/eval/dev.jsonl");
  if (existsSync(file)) {
    const texts = readFileSync(file, "utf8").split("\n").filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text?: unknown }).text).filter((t): t is string => typeof t === "string" && t.length > 0);
    if (texts.length) return { texts, source: `../shared/eval/dev.jsonl (${texts.length} questions)` };
  }
  return { texts: BUILT_IN, source: `built-in list (${BUILT_IN.length} questions in 18 languages)` };
}

// ---------------------------------------------------------------------------------------------------------------
// Engine

interface TurnFigures {
  turns: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** Engine.turn on a fresh in-memory conversation per question, one at a time, after one warm-up pass. */
async function benchTurns(engine: Engine, texts: string[], maxTurns: number, maxMs: number): Promise<TurnFigures> {
  for (const text of texts) await engine.turn(memoryConversation(), { kind: "text", text });
  const lat: number[] = [];
  const start = performance.now();
  while (lat.length < maxTurns && since(start) < maxMs) {
    const text = texts[lat.length % texts.length]!;
    const conv = memoryConversation();
    const t = performance.now();
    await engine.turn(conv, { kind: "text", text });
    lat.push(since(t));
  }
  const seconds = since(start) / 1000;
  lat.sort((a, b) => a - b);
  return { turns: lat.length, seconds, perSecond: lat.length / seconds, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), max: lat[lat.length - 1] ?? NaN };
}

function printTurns(label: string, f: TurnFigures) {
  out(`  ${label}: ${f.turns} turns in ${round(f.seconds)} s = ${round(f.perSecond, 0)} answers/s; p50 ${round(f.p50, 2)} ms, p99 ${round(f.p99, 2)} ms, max ${round(f.max, 1)} ms`);
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same synthetic base. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * SCALE copies of every service (the originals included): new ids and names (a nonsense tag, so a copy is never
 * named by a question that names the original), keywords shuffled, about a third dropped, one borrowed from another
 * service. Only `langs` are kept, to bound the build time.
 */
function syntheticKnowledge(kb: KnowledgeBase, langs: Lang[]): KnowledgeBase {
  const rand = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const keep = (s: Service): Service => ({ ...s, text: Object.fromEntries(langs.filter((l) => s.text[l]).map((l) => [l, s.text[l]])) as Service["text"] });
  const services: Service[] = kb.services.map(keep);
  for (let k = 1; k < SCALE; k++) {
    for (const s of kb.services) {
      const tag = `Q${k.toString(36)}${s.id.length.toString(36)}x`;
      const text: Partial<Service["text"]> = {};
      for (const l of langs) {
        const t = s.text[l];
        if (!t) continue;
        const shuffled = [...t.keywords].sort(() => rand() - 0.5);
        const kept = shuffled.filter((_, i) => i < 3 || rand() > 0.33);
        const donor = pick(kb.services).text[l];
        if (donor?.keywords.length) kept.push(pick(donor.keywords));
        text[l] = { ...t, keywords: kept };
      }
      services.push({ ...s, id: `${s.id}-${tag.toLowerCase()}`, name: `${s.name} ${tag}`, aliases: s.aliases.map((a) => `${a} ${tag}`), text: text as Service["text"] });
    }
  }
  return { services, byId: new Map(services.map((s) => [s.id, s])), areas: kb.areas, glossary: kb.glossary };
}

// ---------------------------------------------------------------------------------------------------------------
// Start-up

/** The compiled code, fresh: `npm run build` (incremental, so quick when nothing changed). */
function build(): void {
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: projectRoot(), stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal})`);
}

/** The environment of a server child: this one's, without the channels (the bench runs the web chat alone). */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|TELEGRAM_|SLACK_|LLM_)/.test(k)));
  return { ...env, NODE_ENV: "production", ...extra };
}

interface Probe {
  /** The index was opened from the cache (no index folder was written during the start). */
  cached: boolean;
  importMs: number;
  knowledgeMs: number;
  indexMs: number;
  /** From the store's start to its end, alongside knowledge and index. */
  storeMs: number;
  listenMs: number;
  readyMs: number;
  rss: number;
  heapUsed: number;
  external: number;
  healthStatus: number;
}

function startupProbe(dataDir: string): Promise<Probe> {
  return new Promise((resolvePromise, reject) => {
    // The flags of `npm start`, the probe instead of main.js.
    const child = spawn(process.execPath, [...startArgs().slice(0, -1), join(projectRoot(), "dist/src/bench/startup-probe.js")], {
      env: serverEnv({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolvePromise(JSON.parse(line) as Probe);
      else reject(new Error(`start-up probe failed (${code}): ${stderr.slice(-500)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(projectRoot(), "src/bench/load-worker.ts"), [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), (job.durationSeconds + 60) * 1000);
    child.once("message", (m: { ok: boolean; result?: LoadResult; error?: string }) => {
      clearTimeout(timer);
      if (m.ok && m.result) resolvePromise(m.result);
      else reject(new Error(m.error ?? "load worker failed"));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
    child.send(job);
  });
}

/** Resident memory of a process (Linux: VmRSS in /proc/<pid>/status), in bytes; NaN elsewhere or once it exited. */
function rssOf(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Peak RSS of process `pid` while `work` runs, sampled every 100 ms. */
async function withRssPeak<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 100);
  try {
    const value = await work();
    return { value, peak: Math.max(peak, rssOf(pid)) };
  } finally {
    clearInterval(timer);
  }
}

function printLoad(label: string, r: LoadResult) {
  const bad = r.non2xx + r.errors + r.timeouts;
  out(`  ${label}: ${round(r.rps, 0)} msg/s (${r.ok} answers in ${r.seconds} s), p50 ${r.p50} ms, p90 ${r.p90} ms, p99 ${r.p99} ms, max ${r.max} ms${bad ? `; ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : ""}`);
}

/** A bare express server that only parses and echoes JSON, at the same path shape. */
async function bareExpress(): Promise<{ url: string; close: () => Promise<void> }> {
  const web = express();
  web.use(express.json({ limit: "16kb" }));
  web.post("/api/echo/:id/messages", (req, res) => {
    res.json({ id: req.params.id, echo: req.body });
  });
  const server = await new Promise<import("node:http").Server>((ok) => {
    const s = web.listen(0, "127.0.0.1", () => ok(s));
  });
  const port = (server.address() as import("node:net").AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

interface ChatRun {
  result: LoadResult;
  /** The server's RSS once started, after one message in each session, idle for a second. */
  rssRest: number;
  rssPeak: number;
}


/** The compiled server in its own process, as `npm start` runs it, on 127.0.0.1; resolves once /healthz answers. */
async function startServerProcess(dataDir: string, databaseUrl?: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, startArgs(), {
    cwd: projectRoot(),
    env: serverEnv({
      DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn",
      // The bench measures throughput: the per-IP and per-conversation limits would answer 429 within a second.
      RATE_LIMIT_IP_PER_MINUTE: "100000000", RATE_LIMIT_CONVERSATION_PER_MINUTE: "100000000",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolvePromise) => child.once("exit", (code) => resolvePromise(code)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = performance.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error("the server did not answer /healthz within 120 s");
    }
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { url, child, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The compiled server in a child process, SESSIONS web chat sessions, one load run; its RSS at rest and under load. */
async function benchWebchat(dataDir: string, texts: string[], databaseUrl?: string): Promise<ChatRun> {
  const server = await startServerProcess(dataDir, databaseUrl);
  const sessions: { sessionId: string; token: string }[] = [];
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const r = await fetch(`${server.url}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lang: "it" }) });
      if (r.status !== 201) throw new Error(`creating a session: HTTP ${r.status}`);
      sessions.push((await r.json()) as { sessionId: string; token: string });
    }
    // One message each: the greeting is behind us, as in a conversation under way.
    for (const [i, s] of sessions.entries()) {
      const r = await fetch(`${server.url}/api/webchat/sessions/${s.sessionId}/messages`, {
        method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text: texts[i % texts.length] }),
      });
      if (r.status !== 200) throw new Error(`warm-up message: HTTP ${r.status}`);
    }
    const job = { url: server.url, path: "/api/webchat/sessions/:id/messages", sessions, texts, connections: CONNECTIONS };
    if (WARMUP_SECONDS > 0) await load({ ...job, durationSeconds: WARMUP_SECONDS });
    await new Promise((r) => setTimeout(r, 1000));
    const rssRest = rssOf(server.child.pid!);
    const { value: result, peak } = await withRssPeak(server.child.pid!, () => load({ ...job, durationSeconds: HTTP_SECONDS }));
    return { result, rssRest, rssPeak: peak };
  } finally {
    // The bench's conversations are not kept (they matter on a real PostgreSQL): erased through the API.
    for (const s of sessions) {
      await fetch(`${server.url}/api/webchat/sessions/${s.sessionId}`, { method: "DELETE", headers: { authorization: `Bearer ${s.token}` } }).catch(() => undefined);
    }
    const code = await server.stop();
    if (code !== 0) out(`  note: the server exited with ${code} on SIGTERM`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  // The start-up and HTTP figures are the compiled server's: build it from the current sources first.
  build();
  const dataDir = mkdtempSync(join(tmpdir(), "orienta-bench-"));
  const { DATABASE_URL: _db, ...env } = process.env;
  const config = loadConfig({ ...env, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, projectRoot());
  const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
  const { texts, source } = questionSet();
  const results: Record<string, number> = {};

  out(`Orienta benchmark — ${new Date().toISOString()}`);
  out(`machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${mb(totalmem())} MB RAM; Node ${process.version}; embeddings: ${config.embeddings.kind}`);
  out(`questions: ${source}; load average before the run: ${loadavg().map((x) => round(x, 2)).join(" ")} (other processes share the cores)`);
  out();

  try {
    // Engine on the real knowledge base ----------------------------------------------------------------------
    out("Engine, real knowledge base");
    let t = performance.now();
    const kb = loadKnowledge(config.knowledgeDir);
    const loadMs = since(t);
    const docs = kb.services.reduce((n, s) => n + Object.keys(s.text).length, 0);
    const embeddings = await createEmbeddings(config.embeddings);
    t = performance.now();
    const index = await HybridIndex.open(kb, embeddings, join(dataDir, "index"));
    const buildMs = since(t);
    t = performance.now();
    await HybridIndex.open(kb, embeddings, join(dataDir, "index"));
    const openMs = since(t);
    out(`  ${kb.services.length} services, ${docs} (service, language) documents, 18 languages; knowledge loaded in ${round(loadMs, 0)} ms`);
    out(`  index build (and persist): ${round(buildMs / 1000, 2)} s; open from the cache, in process: ${round(openMs, 0)} ms`);
    results.realBuild = buildMs / 1000;
    if (ONLY.has("engine")) {
      const engine = new Engine({ kb, index, retentionDays: config.retentionDays, officeHours: config.officeHours });
      const real = await benchTurns(engine, texts, 5000, 10_000);
      printTurns("Engine.turn", real);
      results.engineP99 = real.p99;
    }
    out();

    // Start-up with a cached index --------------------------------------------------------------------------
    if (ONLY.has("startup")) {
      out("Start-up with a cached index (fresh process running the compiled code: code, knowledge, index from cache, PGlite alongside, listening)");
      const probes: Probe[] = [];
      for (let i = 0; i < 2; i++) {
        const p = await startupProbe(dataDir);
        probes.push(p);
        out(`  run ${i + 1}${i === 0 ? " (new database: migrations)" : " (existing database)"}: ready ${p.readyMs} ms after the process started` +
          ` (code ${round(p.importMs, 0)} ms, knowledge ${round(p.knowledgeMs, 0)} ms, index open ${round(p.indexMs, 0)} ms${p.cached ? "" : " — NOT from cache"},` +
          ` store ${round(p.storeMs, 0)} ms from its start alongside them, listen ${round(p.listenMs, 0)} ms);` +
          ` RSS ${mb(p.rss)} MB (JS heap ${mb(p.heapUsed)} MB, external ${mb(p.external)} MB, PGlite's WebAssembly memory included)`);
      }
      results.startup = probes[probes.length - 1]!.readyMs / 1000;
      out();
    }

    // HTTP ---------------------------------------------------------------------------------------------------
    if (ONLY.has("http")) {
      out(`HTTP: POST /api/webchat/sessions/:id/messages, ${CONNECTIONS} connections, ${SESSIONS} sessions, ${HTTP_SECONDS} s each after a ${WARMUP_SECONDS} s warm-up run; load generator (autocannon) in a separate process`);
      const bare = await bareExpress();
      let bareRun: LoadResult;
      try {
        const job = { url: bare.url, path: "/api/echo/:id/messages", sessions: Array.from({ length: SESSIONS }, (_, i) => ({ sessionId: `s${i}`, token: "x" })), texts, connections: CONNECTIONS };
        if (WARMUP_SECONDS > 0) await load({ ...job, durationSeconds: WARMUP_SECONDS });
        bareRun = await load({ ...job, durationSeconds: HTTP_SECONDS });
      } finally {
        await bare.close();
      }
      printLoad("bare express (parse and echo JSON)", bareRun);
      results.bareRps = bareRun.rps;

      const lite = await benchWebchat(dataDir, texts);
      printLoad("web chat, PGlite (embedded)", lite.result);
      out(`    = ${round((100 * lite.result.rps) / bareRun.rps, 1)}% of bare express; server RSS ${mb(lite.rssRest)} MB at rest, ${mb(lite.rssPeak)} MB peak under load`);
      results.liteRatio = lite.result.rps / bareRun.rps;
      results.liteRssPeak = lite.rssPeak;

      if (pgUrl) {
        if (!process.env.TEST_DATABASE_URL) out("  note: using DATABASE_URL; the bench's conversations are deleted afterwards, its anonymous turn statistics stay");
        const run = await benchWebchat(dataDir, texts, pgUrl);
        printLoad("web chat, PostgreSQL", run.result);
        out(`    = ${round((100 * run.result.rps) / bareRun.rps, 1)}% of bare express; server RSS ${mb(run.rssRest)} MB at rest, ${mb(run.rssPeak)} MB peak under load`);
        results.pgRatio = run.result.rps / bareRun.rps;
        results.pgP99 = run.result.p99;
        results.pgRssPeak = run.rssPeak;
      } else {
        out("  web chat, PostgreSQL: skipped (set TEST_DATABASE_URL or DATABASE_URL to run it)");
      }
      out("  (the server is the compiled one in its own process, started as `npm start` does; RSS is that process's, read from /proc every 100 ms)");
      out();
    }

    // Engine on a knowledge base 100 times larger ------------------------------------------------------------
    if (ONLY.has("synthetic")) {
      out(`Engine, synthetic knowledge base ${SCALE}× larger (generated in memory; indexed in ${SYNTHETIC_LANGS.join(" and ")} only, to bound the build time)`);
      const big = syntheticKnowledge(kb, SYNTHETIC_LANGS);
      const bigDocs = big.services.reduce((n, s) => n + Object.keys(s.text).length, 0);
      t = performance.now();
      const bigIndex = await HybridIndex.build(big, embeddings);
      const bigBuildMs = since(t);
      out(`  ${big.services.length} services, ${bigDocs} documents; index build: ${round(bigBuildMs / 1000, 1)} s (${round((bigBuildMs / bigDocs) * 1000, 0)} µs per document; real base: ${round((buildMs / docs) * 1000, 0)} µs)`);
      const bigEngine = new Engine({ kb: big, index: bigIndex, retentionDays: config.retentionDays, officeHours: config.officeHours });
      const synth = await benchTurns(bigEngine, texts, 2000, 15_000);
      printTurns("Engine.turn (all questions; those not in it/en meet only it/en documents)", synth);
      results.bigP99 = synth.p99;
      results.bigBuild = bigBuildMs / 1000;
      out(`  process RSS with both indexes in memory: ${mb(process.memoryUsage.rss())} MB`);
      out();
    }

    // Targets -------------------------------------------------------------------------------------------------
    /** A row of the table: "not run" when its section was skipped. */
    const row = (name: string, target: string, value: number | undefined, shown: (x: number) => string, ok: (x: number) => boolean): [string, string, string, boolean | undefined] =>
      value === undefined ? [name, target, "not run", undefined] : [name, target, shown(value), ok(value)];
    const ms = (x: number) => `${round(x, 2)} ms`;
    const pct = (x: number) => `${round(100 * x, 1)}%`;
    const rows = [
      row("engine p99, real knowledge base", "< 10 ms", results.engineP99, ms, (x) => x < 10),
      row(`engine p99, ${SCALE}× knowledge base`, "< 25 ms", results.bigP99, ms, (x) => x < 25),
      row("web chat / bare express, PostgreSQL", ">= 40%", results.pgRatio, pct, (x) => x >= 0.4),
      row("web chat / bare express, PGlite (info)", "(>= 40%)", results.liteRatio, pct, (x) => x >= 0.4),
      row("server RSS under load, PostgreSQL", "< 300 MB", results.pgRssPeak, (x) => `${mb(x)} MB`, (x) => mb(x) < 300),
      row("server RSS under load, PGlite", "< 300 MB", results.liteRssPeak, (x) => `${mb(x)} MB`, (x) => mb(x) < 300),
      row("start-up with cached index", "< 3 s", results.startup, (x) => `${round(x, 2)} s`, (x) => x < 3),
    ];
    out("Targets");
    const w = [40, 10, 12];
    out(`  ${"measure".padEnd(w[0]!)} ${"target".padEnd(w[1]!)} ${"measured".padEnd(w[2]!)} result`);
    for (const [name, target, measured, ok] of rows)
      out(`  ${name.padEnd(w[0]!)} ${target.padEnd(w[1]!)} ${measured.padEnd(w[2]!)} ${ok === undefined ? "skipped" : ok ? "ok" : "MISS"}`);
    out();
    out(`bench finished in ${round(since(started) / 1000, 0)} s; load average: ${loadavg().map((x) => round(x, 2)).join(" ")}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
