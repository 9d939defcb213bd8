import type express from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { App } from "../app.js";
import type { Engine } from "../engine/engine.js";
import type { Store } from "../store/store.js";

/**
 * Prometheus metrics, served at GET /metrics. Labels carry only fixed, code-defined values (channel, direction,
 * status code, urgent yes/no): never a conversation id, a text, a token or anything else about a person.
 *
 * Counters count what happened in this process: with several instances, Prometheus sums them. Events relayed
 * from other instances (PostgreSQL LISTEN/NOTIFY) are used only to know which conversations are waiting.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const messagesTotal = new Counter({
  name: "orienta_messages_total",
  help: "Messages stored in conversations: in = from the person, out = from the bot, an operator or the system",
  labelNames: ["channel", "direction"] as const,
  registers: [registry],
});

export const turnSeconds = new Histogram({
  name: "orienta_turn_seconds",
  help: "Latency of one engine turn (Engine.turn: triage, retrieval, answer), without storage",
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const webchatMessageSeconds = new Histogram({
  name: "orienta_webchat_message_seconds",
  help: "Latency of POST /api/webchat/sessions/:id/messages as the person sees it (queueing, engine, storage)",
  labelNames: ["status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Conversations this process knows to be waiting; several may share a process in tests. */
const stores = new Set<Store>();

export const queueLength = new Gauge({
  name: "orienta_queue_length",
  help: "Conversations waiting for an operator",
  registers: [registry],
  async collect() {
    let n = 0;
    for (const store of stores) {
      try {
        n += (await store.listQueue()).length;
      } catch {
        // A closing store: the scrape still answers.
      }
    }
    this.set(n);
  },
});

export const queueWaitSeconds = new Histogram({
  name: "orienta_queue_wait_seconds",
  help: "Time a conversation waited for an operator, observed when it leaves the queue (claimed, closed, given back, erased)",
  buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 43200, 86400],
  registers: [registry],
});

export const handoffsTotal = new Counter({
  name: "orienta_handoffs_total",
  help: "Conversations that entered the operators' queue",
  labelNames: ["urgent"] as const,
  registers: [registry],
});

export const errorsTotal = new Counter({
  name: "orienta_errors_total",
  help: "Failures: http = 5xx answers; engine = engine turns that threw (a failed web chat turn counts in both)",
  labelNames: ["source"] as const,
  registers: [registry],
});
for (const source of ["http", "engine"]) errorsTotal.inc({ source }, 0);

/** Channel names come from code ("webchat", "telegram"…); anything else is folded, so labels stay few. */
const channelLabel = (c: string) => (/^[a-z_]{1,20}$/.test(c) ? c : "other");

const MESSAGE_ROUTE = /^\/api\/webchat\/sessions\/[^/]+\/messages\/?$/;

/** Times the web chat's message endpoint and counts 5xx answers on every route. */
export function httpMetrics(): express.RequestHandler {
  return (req, res, next) => {
    const timed = req.method === "POST" && MESSAGE_ROUTE.test(req.path);
    const end = timed ? webchatMessageSeconds.startTimer() : undefined;
    res.on("finish", () => {
      if (end) end({ status: String(res.statusCode) });
      if (res.statusCode >= 500) errorsTotal.inc({ source: "http" });
    });
    next();
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsHandler(): express.RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.setHeader("Content-Type", registry.contentType);
      res.setHeader("Cache-Control", "no-store");
      res.end(body);
    } catch (e) {
      next(e);
    }
  };
}

const timedEngines = new WeakSet<Engine>();

/** Wraps Engine.turn of this engine instance (once) with the turn histogram; handle() calls it too. */
function timeTurns(engine: Engine): void {
  if (timedEngines.has(engine)) return;
  timedEngines.add(engine);
  const turn = engine.turn;
  engine.turn = async function (this: Engine, ...args: Parameters<Engine["turn"]>) {
    const end = turnSeconds.startTimer();
    try {
      return await turn.apply(this, args);
    } catch (e) {
      errorsTotal.inc({ source: "engine" });
      throw e;
    } finally {
      end();
    }
  };
}

/** The most entries kept for waiting conversations (a bound, in case leaving events are lost). */
const MAX_WAITING = 100_000;

/**
 * Subscribes the metrics to the app's events. Returns the function that unsubscribes (called when the server
 * closes). Calling it twice for the same app subscribes once.
 */
const instrumented = new WeakSet<App>();
export function instrument(app: App): () => void {
  if (instrumented.has(app)) return () => undefined;
  instrumented.add(app);
  timeTurns(app.engine);
  stores.add(app.store);

  // Conversations in the queue, with the time they entered it (handoffAt, read from the store).
  const waiting = new Map<string, { since: number; urgent: boolean }>();
  const enter = (id: string, urgent: boolean, since = Date.now()) => {
    if (waiting.size >= MAX_WAITING) waiting.delete(waiting.keys().next().value!);
    const entry = { since, urgent };
    waiting.set(id, entry);
    return entry;
  };
  void app.store.listQueue().then(
    (queue) => {
      for (const c of queue) if (!waiting.has(c.id)) enter(c.id, c.urgent, c.handoffAt?.getTime());
    },
    () => undefined,
  );

  // `on` sees every event (this instance's and relayed ones) and keeps `waiting` right; `onLocal` is called just
  // after it, for events of this instance only, and counts. So a claim on instance B of a conversation queued on A
  // is observed once, on B.
  let last: { id: string; entered?: boolean; waited?: number } | undefined;
  const offState = app.bus.on("state", (e) => {
    last = { id: e.conversationId };
    const entry = waiting.get(e.conversationId);
    if (e.state === "waiting_for_operator") {
      if (entry) {
        entry.urgent = e.urgent;
        return;
      }
      const added = enter(e.conversationId, e.urgent);
      last.entered = true;
      app.store.getConversation(e.conversationId).then(
        (c) => {
          if (c?.handoffAt) added.since = c.handoffAt.getTime();
        },
        () => undefined,
      );
    } else if (entry) {
      waiting.delete(e.conversationId);
      last.waited = Math.max(0, (Date.now() - entry.since) / 1000);
    }
  });
  const offLocalState = app.bus.onLocal("state", (e) => {
    if (last?.id !== e.conversationId) return;
    if (last.entered) handoffsTotal.inc({ urgent: String(e.urgent) });
    if (last.waited !== undefined) queueWaitSeconds.observe(last.waited);
    last = undefined;
  });
  const offMessage = app.bus.onLocal("message", (e) => {
    messagesTotal.inc({ channel: channelLabel(e.channel), direction: e.message.sender === "user" ? "in" : "out" });
  });

  return () => {
    offState();
    offLocalState();
    offMessage();
    stores.delete(app.store);
    instrumented.delete(app);
  };
}
