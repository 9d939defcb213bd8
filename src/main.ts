import type { Server } from "node:http";
import { loadConfig } from "./config.js";
import { createApp } from "./app.js";
import { createHttpApp } from "./http/server.js";
import { createLogger } from "./log.js";

/** Wires configuration, knowledge, engine, storage and HTTP; nothing else. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const app = await createApp(config);
  const web = createHttpApp(app, log);
  const server: Server = await new Promise((resolve) => {
    const s = web.listen(config.port, config.host, () => resolve(s));
  });
  log.info({ port: config.port, services: app.kb.services.length, storage: config.databaseUrl ? "postgres" : "pglite", ms: Date.now() - started }, "orienta is listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // Stop accepting, let in-flight requests finish, then close the database.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.store.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("unhandledRejection", (reason) => log.error({ err: String(reason) }, "unhandled rejection"));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
