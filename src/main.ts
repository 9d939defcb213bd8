import { loadConfig } from "./config.js";
import { createApp } from "./app.js";
import { startServer } from "./http/server.js";
import { createLogger } from "./log.js";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { serverLockPath } from "./store/server-lock.js";
import { startRetention } from "./privacy/retention.js";
import { LOCKS } from "./store/store.js";
// Telegram (grammY), Slack (Bolt) and the PostgreSQL relay (pg) are imported below only when configured: the default
// set-up (web chat on PGlite) neither loads nor keeps their code.

/** Wires configuration, knowledge, engine, storage and HTTP; nothing else. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const app = await createApp(config);
  // Several instances on one PostgreSQL: events (queue changes, operator replies) reach every instance.
  const pgNotify = config.databaseUrl ? await import("./store/pg-notify.js") : undefined;
  const stopRelay = pgNotify && config.databaseUrl
    ? await pgNotify.relayThroughPostgres(config.databaseUrl, app.bus, app.store, (e) => log.error({ err: String(e) }, "event relay failed"))
    : undefined;
  const telegram = config.telegram
    ? (await import("../adapters/telegram/index.js")).createTelegramChannel(app, { ...config.telegram, log: log.child({ channel: "telegram" }) })
    : undefined;
  const slack = config.slack
    ? (await import("../adapters/slack/index.js")).createSlackChannel(app, { ...config.slack, log: log.child({ channel: "slack" }) })
    : undefined;
  const running = await startServer(app, log, config.port, config.host, [
    ...(telegram?.webhookHandler ? [{ path: "/telegram/webhook", handler: telegram.webhookHandler }] : []),
    ...(slack ? [{ path: "/", handler: slack.router }] : []),
  ]);
  // A Telegram outage at boot must not take the web chat down: logged, the rest runs.
  // Long polling from one instance only: with PostgreSQL the instance that holds the lock polls; webhooks work anywhere.
  const pollLock = telegram && config.telegram?.mode === "polling" && pgNotify && config.databaseUrl ? await pgNotify.holdLock(config.databaseUrl, LOCKS.telegramPolling) : undefined;
  if (pollLock && !pollLock.acquired) log.info("another instance polls Telegram; this one only sends");
  else telegram?.start().catch((e) => log.error({ err: String(e) }, "telegram channel failed to start"));
  if (!config.databaseUrl) {
    // The embedded database belongs to this process: the operators CLI checks this file and refuses while we run.
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(serverLockPath(config.dataDir), String(process.pid));
  }
  // Claims left by operators who went away return to the queue.
  const requeue = setInterval(() => {
    app.store.exclusive(LOCKS.requeue, () => app.handoff.requeueStale(config.claimTimeoutMs)).catch((e) => log.error({ err: String(e) }, "requeue failed"));
  }, Math.min(60_000, config.claimTimeoutMs));
  requeue.unref();
  const stopRetention = startRetention(app.store, config.retentionDays, (e) => log.error({ err: String(e) }, "retention failed"));
  log.info({ port: config.port, services: app.kb.services.length, storage: config.databaseUrl ? "postgres" : "pglite", ms: Date.now() - started }, "orienta is listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // Stop accepting, let in-flight requests finish, then close the database.
    clearInterval(requeue);
    stopRetention();
    await stopRelay?.();
    await pollLock?.release();
    await telegram?.stop();
    await slack?.stop();
    await running.close();
    await app.store.close();
    rmSync(serverLockPath(config.dataDir), { force: true });
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
