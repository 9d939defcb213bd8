import { Router, type Request } from "express";
import { rateLimit } from "express-rate-limit";
import { z } from "zod";
import type { Handoff } from "../handoff/handoff.js";
import { HandoffError } from "../handoff/handoff.js";
import type { Store } from "../store/store.js";
import type { Engine } from "../engine/engine.js";
import { HttpError } from "./errors.js";
import type { operatorAuth } from "./operator-auth.js";

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();
const Text = z.object({ text: z.string().trim().min(1, "text must not be empty").max(4000) }).strict();
const Close = z.object({ outcome: z.string().trim().min(1).max(200) }).strict();
const Transfer = z.object({ operatorId: z.string().min(1).max(100) }).strict();
const Service = z.object({ serviceId: z.string().min(1).max(100) }).strict();
const Id = z.string().uuid();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw HttpError.fromZod(r.error);
  return r.data;
}

function idOf(req: Request): string {
  const r = Id.safeParse(req.params.id);
  if (!r.success) throw new HttpError(404, "not_found", "no such conversation");
  return r.data;
}

const asHttp = (e: unknown) =>
  e instanceof HandoffError ? new HttpError(e.code === "not_found" ? 404 : e.code === "forbidden" ? 403 : 409, e.code, e.message) : e;

/** The operators' JSON API (see README). Every route but login needs the session cookie; changes need X-CSRF-Token. */
export function operatorApi(store: Store, handoff: Handoff, engine: Engine, auth: ReturnType<typeof operatorAuth>): Router {
  const r = Router();
  const wrap = (fn: (req: Request) => Promise<unknown>) => async (req: Request, res: import("express").Response, next: import("express").NextFunction) => {
    try {
      res.json(await fn(req));
    } catch (e) {
      next(asHttp(e));
    }
  };

  // Brute force: 10 failed logins per IP in 15 minutes; successful logins do not count.
  const loginLimit = rateLimit({ windowMs: 15 * 60_000, limit: 10, skipSuccessfulRequests: true, standardHeaders: "draft-7", legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many failed logins; wait 15 minutes")) });
  r.post("/login", loginLimit, async (req, res, next) => {
    try {
      const b = parse(Login, req.body);
      res.json(await auth.login(req, res, b.username, b.password));
    } catch (e) {
      next(e);
    }
  });
  r.post("/logout", auth.requireOperator, async (req, res, next) => {
    try {
      await auth.logout(req, res);
      res.json({ ok: true });
    } catch (e) {
      next(e);
    }
  });

  r.use(auth.requireOperator);
  r.get("/me", wrap(async (req) => ({ operator: req.operator })));
  r.get("/queue", wrap(async (req) => ({ items: await handoff.queue(req.operator) })));
  r.get("/operators", wrap(async () => ({ operators: (await store.listOperators()).map((o) => ({ id: o.id, username: o.username, languages: o.languages })) })));
  r.get("/services", wrap(async (req) => {
    const q = z.string().max(200).default("").parse(req.query.q ?? "");
    if (!q) return { services: engine.kb.services.map((s) => ({ id: s.id, name: s.name })) };
    return { services: (await engine.searchServices(q)).map((s) => ({ id: s.id, name: s.name })) };
  }));
  r.get("/conversations/:id", wrap(async (req) => handoff.view(idOf(req), req.operator!)));
  r.post("/conversations/:id/claim", wrap(async (req) => ({ conversation: await handoff.claim(idOf(req), req.operator!) })));
  r.post("/conversations/:id/messages", wrap(async (req) => ({ message: await handoff.reply(idOf(req), req.operator!, parse(Text, req.body).text) })));
  r.post("/conversations/:id/notes", wrap(async (req) => ({ note: await handoff.note(idOf(req), req.operator!, parse(Text, req.body).text) })));
  r.post("/conversations/:id/services", wrap(async (req) => ({ message: await handoff.sendService(idOf(req), req.operator!, parse(Service, req.body).serviceId) })));
  r.post("/conversations/:id/release", wrap(async (req) => ({ conversation: await handoff.release(idOf(req), req.operator!) })));
  r.post("/conversations/:id/close", wrap(async (req) => ({ conversation: await handoff.close(idOf(req), req.operator!, parse(Close, req.body).outcome) })));
  r.post("/conversations/:id/transfer", wrap(async (req) => ({ conversation: await handoff.transfer(idOf(req), req.operator!, parse(Transfer, req.body).operatorId) })));
  r.get("/conversations/:id/audit", auth.requireAdmin, wrap(async (req) => ({ audit: await store.listAudit(idOf(req)) })));
  return r;
}
