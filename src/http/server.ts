import { join } from "node:path";
import express from "express";
import helmet from "helmet";
import { rateLimit } from "express-rate-limit";
import type { Logger } from "pino";
import type { App } from "../app.js";
import { webchatApi } from "./webchat-api.js";
import { operatorApi } from "./operator-api.js";
import { operatorAuth } from "./operator-auth.js";
import { errorHandler, HttpError } from "./errors.js";
import { attachLive } from "./live.js";
import { privacyPage } from "./privacy-page.js";
import { httpMetrics, instrument, metricsHandler } from "./metrics.js";
import { insightsRouter } from "../insights/router.js";
import { fromRoot } from "../root.js";

const pagesDir = fromRoot("adapters/webchat/public");

/** CORS for the web chat API, for the sites allowed to embed the widget (and nobody else). */
function allowWidgetOrigins(origins: string[]): express.RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get("origin");
    if (origin && allowed.has(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE");
      res.setHeader("Access-Control-Max-Age", "600");
      if (req.method === "OPTIONS") return void res.status(204).end();
    }
    next();
  };
}

/** An extra handler at a path: the Telegram webhook, the Slack events endpoint. They parse their own bodies. */
export interface Mount {
  path: string;
  handler: express.RequestHandler;
}

/** The express application: health, web chat API and the chat page. */
export function createHttpApp(app: App, log: Logger, auth = operatorAuth(app.store, { sessionTtlMs: app.config.operatorSessionMs }), mounts: Mount[] = []): express.Express {
  const web = express();
  web.disable("x-powered-by");
  if (app.config.trustProxy) web.set("trust proxy", app.config.trustProxy);
  web.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'self'"],
        },
      },
    }),
  );
  web.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      // Route shape only: ids and bodies may identify a person.
      const path = req.route?.path ? `${req.baseUrl}${req.route.path}` : req.baseUrl || "unmatched";
      log.debug({ method: req.method, path, status: res.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6 }, "http");
    });
    next();
  });
  web.use(httpMetrics());

  web.get("/healthz", (_req, res) => {
    res.json({ ok: true, services: app.kb.services.length });
  });
  // Figures only, no personal data; still, with METRICS_TOKEN set only a scraper with the token reads them.
  web.get("/metrics", (req, res, next) => {
    const token = app.config.metricsToken;
    if (token && req.get("authorization") !== `Bearer ${token}`) return next(new HttpError(401, "unauthorized", "metrics need the token"));
    next();
  }, metricsHandler());

  // Channels' endpoints come before any body parser: Slack verifies its signature over the raw body.
  for (const m of mounts) web.use(m.path, m.handler);

  const api = express.Router();
  api.use(rateLimit({ windowMs: 60_000, limit: app.config.rateLimits.ipPerMinute, standardHeaders: "draft-7", legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many requests; wait a minute")) }));
  api.use(express.json({ limit: "16kb" }));
  api.use("/webchat", allowWidgetOrigins(app.config.widgetOrigins), webchatApi(app.inbox, app.store, app.config.rateLimits.conversationPerMinute));
  api.use("/operator", operatorApi(app.store, app.handoff, app.engine, auth));
  api.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such endpoint")));
  // The needs report (admins): its API lives under /api/admin, before the API's 404 catch-all.
  web.use(insightsRouter(app.store, app.kb, auth));
  web.use("/api", api);

  web.get("/privacy", privacyPage(app.config.retentionDays));
  web.get("/operator", (_req, res) => res.sendFile(join(pagesDir, "operator.html")));
  web.use(express.static(pagesDir, { index: "index.html", maxAge: "1h" }));
  web.use((_req, _res, next) => next(new HttpError(404, "not_found", "not found")));
  web.use(errorHandler(log));
  return web;
}

export interface RunningServer {
  server: import("node:http").Server;
  url: string;
  /** Stops accepting, closes live connections, waits for in-flight requests. */
  close(): Promise<void>;
}

/** Listens on host:port (0 = any free port) with the HTTP app and the live WebSocket feeds. */
export async function startServer(app: App, log: Logger, port = app.config.port, host = app.config.host, mounts: Mount[] = []): Promise<RunningServer> {
  const auth = operatorAuth(app.store, { sessionTtlMs: app.config.operatorSessionMs });
  const web = createHttpApp(app, log, auth, mounts);
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = web.listen(port, host, () => resolve(s));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  const stopLive = attachLive(server, app.store, app.bus, auth, app.config.widgetOrigins);
  const stopMetrics = instrument(app);
  const addr = server.address() as import("node:net").AddressInfo;
  return {
    server,
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`,
    close: async () => {
      stopLive();
      stopMetrics();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}
