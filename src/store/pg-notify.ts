import { randomUUID } from "node:crypto";
import pg from "pg";
import type { EventBus, ConversationEvents } from "../handoff/events.js";
import type { Store } from "./store.js";

const CHANNEL = "orienta_events";
/** NOTIFY payloads are limited to 8000 bytes; a larger message travels as a reference, read back from the database. */
const MAX_PAYLOAD = 7000;

interface Envelope {
  origin: string;
  event: keyof ConversationEvents;
  payload?: unknown;
  ref?: { conversationId: string; messageId: number; channel: string; externalRef: string | null };
}

function revive(event: keyof ConversationEvents, payload: unknown): ConversationEvents[keyof ConversationEvents] {
  if (event === "message") {
    const p = payload as ConversationEvents["message"];
    return { ...p, message: { ...p.message, createdAt: new Date(p.message.createdAt) } };
  }
  return payload as ConversationEvents["state"];
}

/**
 * Relays the event bus between server instances through PostgreSQL LISTEN/NOTIFY, so that an operator on instance B
 * reaches a person whose web chat is connected to instance A. No sticky sessions are needed.
 */
export async function relayThroughPostgres(url: string, bus: EventBus, store: Store, onError: (e: unknown) => void): Promise<() => Promise<void>> {
  const origin = randomUUID();
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Pool({ connectionString: url, max: 2 });
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  listener.on("error", onError);
  listener.on("notification", (n) => {
    void (async () => {
      const env = JSON.parse(n.payload ?? "{}") as Envelope;
      if (env.origin === origin) return;
      if (env.ref) {
        const messages = await store.listMessages(env.ref.conversationId, env.ref.messageId - 1);
        const message = messages.find((m) => m.id === env.ref!.messageId);
        if (message) bus.deliverLocally("message", { conversationId: env.ref.conversationId, channel: env.ref.channel, externalRef: env.ref.externalRef, message });
      } else bus.deliverLocally(env.event, revive(env.event, env.payload) as never);
    })().catch(onError);
  });

  const offs = (["message", "state"] as const).map((event) =>
    bus.onLocal(event, (payload) => {
      let body = JSON.stringify({ origin, event, payload } satisfies Envelope);
      if (Buffer.byteLength(body) > MAX_PAYLOAD && event === "message") {
        const p = payload as ConversationEvents["message"];
        body = JSON.stringify({ origin, event, ref: { conversationId: p.conversationId, messageId: p.message.id, channel: p.channel, externalRef: p.externalRef } } satisfies Envelope);
      }
      sender.query("SELECT pg_notify($1, $2)", [CHANNEL, body]).catch(onError);
    }),
  );

  return async () => {
    for (const off of offs) off();
    await listener.end().catch(() => undefined);
    await sender.end().catch(() => undefined);
  };
}

/**
 * Holds a PostgreSQL advisory lock for as long as this process lives (a leader for one job among instances, such as
 * Telegram long polling, which Telegram allows from one client only). `acquired` false: another instance holds it.
 */
export async function holdLock(url: string, key: number): Promise<{ acquired: boolean; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
  const acquired = Boolean(rows[0]?.locked);
  if (!acquired) await client.end();
  return { acquired, release: async () => (acquired ? client.end().catch(() => undefined) : undefined) };
}
