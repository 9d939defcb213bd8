/**
 * Start-up of a server with a cached index, in a fresh process, as `npm start` does it: configuration, then
 * `createApp` (knowledge and index loading, with the store opening alongside), the HTTP server listening. Prints one
 * JSON line and exits. Run it compiled, like the server: `npm run build && DATA_DIR=… node dist/src/bench/startup-probe.js`.
 * Imports are dynamic and timed, so the figures include loading the code (as a real start does).
 */
import { join } from "node:path";
import { existsSync, readdirSync, statSync } from "node:fs";

const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;

async function main() {
  const t0 = performance.now();
  // What src/main.ts loads with the default configuration (no Telegram, Slack, PostgreSQL or LLM).
  const { loadConfig } = await import("../config.js");
  const { projectRoot } = await import("../root.js");
  const { createApp } = await import("../app.js");
  const { startServer } = await import("../http/server.js");
  const { createLogger } = await import("../log.js");
  await import("../privacy/retention.js");
  const importMs = ms(t0);

  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" }, projectRoot());
  // "From the cache": a complete index was there and the start wrote none (a different fingerprint would).
  const indexDir = join(config.dataDir, "index");
  const indexFolders = () => (existsSync(indexDir) ? readdirSync(indexDir).sort() : [])
    .map((d) => `${d}:${statSync(join(indexDir, d, "complete"), { throwIfNoEntry: false })?.mtimeMs ?? "-"}`).join();
  const before = indexFolders();
  const phases: import("../app.js").StartupPhases = {};
  let t = performance.now();
  const app = await createApp(config, phases);
  const appMs = ms(t);
  const cached = /:\d/.test(before) && indexFolders() === before;
  t = performance.now();
  const running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
  const listenMs = ms(t);
  const readyMs = Math.round(process.uptime() * 1000);
  const mem = process.memoryUsage();
  // One answer, so "started" means "answers".
  t = performance.now();
  const r = await fetch(`${running.url}/healthz`);
  const healthMs = ms(t);
  await running.close();
  await app.store.close();
  process.stdout.write(`${JSON.stringify({
    cached, importMs, ...phases, appMs, listenMs, readyMs,
    rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers,
    healthMs, healthStatus: r.status,
  })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
