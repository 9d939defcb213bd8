import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Router, type Request, type Response, type NextFunction } from "express";
import { rateLimit } from "express-rate-limit";
import { z } from "zod";
import type { Inbox } from "../handoff/inbox.js";
import { InboundSchema, MAX_TEXT, type Inbound } from "../engine/messages.js";
import type { Store, StoredMessage } from "../store/store.js";
import { LANGUAGES } from "../language/languages.js";
import { HttpError } from "./errors.js";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const CreateSession = z.object({ lang: z.enum(LANGUAGES).optional() }).strict();
/** `{text}` is the plain form; the other inbound kinds are accepted too, for buttons, location and commands. */
const PlainText = z.object({ text: z.string().min(1, "text must not be empty").max(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`) }).strict();
/** Optional id the client gives each message: sending it again returns the first answer instead of a duplicate. */
const ClientMessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "clientMessageId has 8-64 letters, digits, - or _").optional();
function parseMessage(body: unknown) {
  if (!body || typeof body !== "object" || Array.isArray(body)) return PlainText.safeParse(body) as z.ZodSafeParseResult<never>;
  const { clientMessageId, ...rest } = body as Record<string, unknown>;
  const id = ClientMessageId.safeParse(clientMessageId);
  if (!id.success) return id as unknown as z.ZodSafeParseResult<never>;
  const inbound = "kind" in rest ? InboundSchema.safeParse(rest) : PlainText.transform((b): Inbound => ({ kind: "text", text: b.text })).safeParse(rest);
  return inbound.success ? { success: true as const, data: { inbound: inbound.data, clientId: id.data } } : inbound;
}
const SessionId = z.string().uuid();

export function publicMessage(m: StoredMessage) {
  const p = m.payload as { quickReplies?: unknown; services?: unknown };
  const from = m.sender === "user" ? "user" : m.sender;
  return {
    id: m.id,
    from,
    text: m.text,
    ...(p.quickReplies ? { quickReplies: p.quickReplies } : {}),
    ...(p.services ? { services: p.services } : {}),
    createdAt: m.createdAt.toISOString(),
  };
}

export function webchatApi(inbox: Inbox, store: Store, perConversationPerMinute = 30): Router {
  const router = Router();

  /** The session token proves the caller is the person of this conversation. */
  const authorize = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const id = SessionId.safeParse(req.params.id);
      if (!id.success) throw new HttpError(404, "not_found", "no such session");
      const header = req.get("authorization") ?? "";
      const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      if (!token) throw new HttpError(401, "unauthorized", "missing Authorization: Bearer <token>");
      const stored = await store.getTokenHash(id.data);
      const given = Buffer.from(hashToken(token));
      if (!stored || stored.length !== given.length || !timingSafeEqual(Buffer.from(stored), given))
        throw new HttpError(stored ? 401 : 404, stored ? "unauthorized" : "not_found", stored ? "wrong token" : "no such session");
      next();
    } catch (e) {
      next(e);
    }
  };

  router.post("/sessions", async (req, res, next) => {
    try {
      const body = CreateSession.safeParse(req.body ?? {});
      if (!body.success) throw HttpError.fromZod(body.error);
      const token = randomBytes(32).toString("base64url");
      const conv = await store.createConversation({ channel: "webchat", tokenHash: hashToken(token), lang: body.data.lang });
      if (body.data.lang) {
        conv.context.langChosen = true;
        await store.saveTurn(conv, []);
      }
      res.status(201).json({ sessionId: conv.id, token });
    } catch (e) {
      next(e);
    }
  });

  // Per conversation: a person writes a few messages a minute; a loop or a script is stopped here.
  const perConversation = rateLimit({
    windowMs: 60_000, limit: perConversationPerMinute, standardHeaders: "draft-7", legacyHeaders: false,
    keyGenerator: (req) => `conversation:${String(req.params.id)}`,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many messages in this conversation; wait a minute")),
  });

  router.post("/sessions/:id/messages", authorize, perConversation, async (req, res, next) => {
    try {
      const body = parseMessage(req.body);
      if (!body.success) throw HttpError.fromZod(body.error);
      const id = String(req.params.id);
      const result = await inbox.receive(id, body.data.inbound, body.data.clientId);
      // Ids let a client that also listens on the live feed drop the copies it already has.
      const ids = (result.stored ?? []).slice(1).map((m) => m.id);
      res.json({
        messages: result.messages.map((m, i) => ({
          ...(ids[i] !== undefined ? { id: ids[i] } : {}),
          from: m.from,
          text: m.text,
          lang: m.lang,
          ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}),
          ...(m.services ? { services: m.services } : {}),
        })),
        urgent: result.urgent,
        handoff: result.handoff,
        ...(result.deleted ? { deleted: true } : {}),
      });
    } catch (e) {
      next(e);
    }
  });

  router.get("/sessions/:id/messages", authorize, async (req, res, next) => {
    try {
      const after = z.coerce.number().int().min(0).default(0).safeParse(req.query.after ?? 0);
      if (!after.success) throw HttpError.fromZod(after.error);
      const id = String(req.params.id);
      const conv = await store.getConversation(id);
      const messages = await store.listMessages(id, after.data);
      res.json({ state: conv?.state, lang: conv?.lang, messages: messages.map(publicMessage) });
    } catch (e) {
      next(e);
    }
  });

  router.delete("/sessions/:id", authorize, async (req, res, next) => {
    try {
      const id = String(req.params.id);
      await inbox.erase(id);
      res.json({ deleted: true });
    } catch (e) {
      next(e);
    }
  });

  return router;
}
