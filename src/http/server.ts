import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import express from "express";
import helmet from "helmet";
import { rateLimit } from "express-rate-limit";
import type { Logger } from "pino";
import type { App } from "../app.js";
import { webchatApi } from "./webchat-api.js";
import { errorHandler, HttpError } from "./errors.js";

const pagesDir = join(dirname(fileURLToPath(import.meta.url)), "../../adapters/webchat/public");

/** The express application: health, web chat API and the chat page. */
export function createHttpApp(app: App, log: Logger): express.Express {
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

  web.get("/healthz", (_req, res) => {
    res.json({ ok: true, services: app.kb.services.length });
  });

  const api = express.Router();
  api.use(rateLimit({ windowMs: 60_000, limit: 120, standardHeaders: "draft-7", legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many requests; wait a minute")) }));
  api.use(express.json({ limit: "16kb" }));
  api.use("/webchat", webchatApi(app.engine, app.store));
  api.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such endpoint")));
  web.use("/api", api);

  web.use(express.static(pagesDir, { index: "index.html", maxAge: "1h" }));
  web.use((_req, _res, next) => next(new HttpError(404, "not_found", "not found")));
  web.use(errorHandler(log));
  return web;
}
