import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express, { Router, type Request, type Response, type NextFunction } from "express";
import { rateLimit } from "express-rate-limit";
import { z } from "zod";
import type { Store } from "../store/store.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { operatorAuth } from "../http/operator-auth.js";
import { HttpError } from "../http/errors.js";
import { buildReport, reportToCsv, type Period } from "./report.js";
import { fromRoot } from "../root.js";

const pagesDir = fromRoot("adapters/webchat/public");
const chartDist = dirname(createRequire(import.meta.url).resolve("chart.js"));

/** Longest period one report may cover. */
export const MAX_DAYS = 731;
const DAY_MS = 86_400_000;

/** A real calendar day (2026-02-30 is refused), as YYYY-MM-DD. */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD").refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, "not a calendar date");

const Query = z
  .object({ from: Day.optional(), to: Day.optional() })
  .strict()
  .transform((q, ctx): Period => {
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be after to" });
    else if (days > MAX_DAYS) ctx.addIssue({ code: "custom", path: ["from"], message: `the period may cover at most ${MAX_DAYS} days` });
    return { from, to };
  });

function periodOf(req: Request): Period {
  const r = Query.safeParse(req.query);
  if (!r.success) throw HttpError.fromZod(r.error);
  return r.data;
}

/**
 * The needs report for admins: JSON and CSV over the anonymous tables, the page that shows them, and the charting
 * library the page uses (served from here: the CSP allows scripts from this origin only). Mount it before `/api`.
 */
export function insightsRouter(store: Store, kb: Pick<KnowledgeBase, "byId" | "areas">, auth: ReturnType<typeof operatorAuth>): Router {
  const r = Router();
  const limit = rateLimit({ windowMs: 60_000, limit: 60, standardHeaders: "draft-7", legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many requests; wait a minute")) });
  const admin = [limit, auth.requireOperator, auth.requireAdmin];
  const handle = (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await fn(req, res);
    } catch (e) {
      next(e);
    }
  };

  r.get("/api/admin/insights", ...admin, handle(async (req, res) => {
    const period = periodOf(req);
    res.setHeader("Cache-Control", "no-store");
    res.json(await buildReport(store.sql, kb, period));
  }));

  r.get("/api/admin/insights.csv", ...admin, handle(async (req, res) => {
    const period = periodOf(req);
    const csv = reportToCsv(await buildReport(store.sql, kb, period));
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="orienta-insights-${period.from}-${period.to}.csv"`);
    // A byte-order mark so that spreadsheets read the UTF-8 (Arabic, Bengali, Chinese…) as UTF-8.
    res.send(`\uFEFF${csv}`);
  }));

  // The page itself holds no data: it asks the API above, which needs an admin session.
  r.get("/admin/insights", (_req, res) => res.sendFile(join(pagesDir, "insights.html")));
  r.use("/vendor", express.static(chartDist, { index: false, maxAge: "1d", fallthrough: true }));
  return r;
}
