/**
 * Start-up of a server with a cached index, in a fresh process, as `npm start` does it: configuration, knowledge,
 * the index opened from DATA_DIR/index, the store, the HTTP server listening. Prints one JSON line and exits.
 * Imports are dynamic and timed, so the figures include loading the code (as a real start does).
 */
import { join } from "node:path";
import { existsSync, readdirSync } from "node:fs";

const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;

async function main() {
  const t0 = performance.now();
  const { loadConfig } = await import("../config.js");
  const { projectRoot } = await import("../cli/paths.js");
  const { loadKnowledge } = await import("../knowledge/load.js");
  const { HybridIndex } = await import("../knowledge/search/index.js");
  const { createEmbeddings } = await import("../knowledge/search/embeddings-factory.js");
  const { Engine } = await import("../engine/engine.js");
  const { openStore } = await import("../store/store.js");
  const { assemble } = await import("../app.js");
  const { startServer } = await import("../http/server.js");
  const { createLogger } = await import("../log.js");
  const importMs = ms(t0);

  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" }, projectRoot());
  const indexDir = join(config.dataDir, "index");
  const cached = existsSync(indexDir) && readdirSync(indexDir).some((d) => existsSync(join(indexDir, d, "complete")));
  let t = performance.now();
  const kb = loadKnowledge(config.knowledgeDir);
  const knowledgeMs = ms(t);
  t = performance.now();
  const embeddings = await createEmbeddings(config.embeddings);
  const index = await HybridIndex.open(kb, embeddings, indexDir);
  const indexMs = ms(t);
  const engine = new Engine({ kb, index, retentionDays: config.retentionDays, officeHours: config.officeHours, redactTranscripts: config.redactTranscripts });
  t = performance.now();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, "db") });
  const storeMs = ms(t);
  t = performance.now();
  const app = assemble(config, kb, engine, store);
  const running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
  const listenMs = ms(t);
  const readyMs = Math.round(process.uptime() * 1000);
  const rss = process.memoryUsage.rss();
  // One answer, so "started" means "answers".
  t = performance.now();
  const r = await fetch(`${running.url}/healthz`);
  const healthMs = ms(t);
  await running.close();
  await store.close();
  process.stdout.write(`${JSON.stringify({ cached, importMs, knowledgeMs, indexMs, storeMs, listenMs, readyMs, rss, healthMs, healthStatus: r.status })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
