import type { Router } from "express";
import { App as BoltApp, ExpressReceiver, LogLevel, webApi, type AuthorizeResult, type BlockAction, type ButtonAction, type Logger as BoltLogger } from "@slack/bolt";
import { pino, type Logger } from "pino";
import type { App } from "../../src/app.js";
import type { ConversationEvents } from "../../src/handoff/events.js";
import { HandoffError } from "../../src/handoff/handoff.js";
import { KeyedQueue } from "../../src/http/keyed-queue.js";
import type { ConversationState, Operator } from "../../src/store/store.js";
import { ACTION_CLOSE, ACTION_RELEASE, ACTION_TAKE, describePersonMessage, escapeSlack, fromSlackText, queueBlocks, summarize, type QueueCard } from "./format.js";

export interface SlackChannelOptions {
  /** xoxb-… bot token (scopes: chat:write, channels:history or groups:history). */
  botToken: string;
  signingSecret: string;
  /** Id of the operators' channel (C…); the bot must be a member. */
  channel: string;
  /** Web API base URL with a trailing slash (default https://slack.com/api/); tests point it at a fake. */
  apiUrl?: string;
  /** The bot's ids (from auth.test); without them auth.test is called once, at the first incoming request. */
  botId?: string;
  botUserId?: string;
  /** Handle each request before answering Slack (tests; Slack wants an answer within 3 s). Default false. */
  processBeforeResponse?: boolean;
  /** Web API retries on 429/5xx (default 0 with apiUrl, else 3). */
  retries?: number;
  log?: Logger;
}

export interface SlackChannel {
  /** Express router that serves POST /slack/events (events and interactivity). Mount it before any body parser. */
  router: Router;
  stop(): Promise<void>;
}

/** A Map that forgets its oldest entries beyond `max`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}

interface Thread {
  ts: string;
  card: QueueCard;
  state: ConversationState;
}

const NOTE = /^\s*note:\s*/i;

const STATUS: Record<ConversationState, string> = {
  waiting_for_operator: "⏳ Waiting for an operator",
  with_operator: "🙋 Taken",
  bot: "🤖 Given back to the bot",
  closed: "✅ Closed",
};

/** Bolt's logger interface over pino. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug(m.map(String).join(" ")),
    info: (...m: unknown[]) => log.info(m.map(String).join(" ")),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(" ")),
    error: (...m: unknown[]) => log.error(m.map(String).join(" ")),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The operators' side in Slack. Every conversation that enters the queue is posted to the operators' channel
 * (language, urgency, topic, municipality, the person's last message redacted) with Take / Give back to bot /
 * Close buttons; the post's thread is the conversation's thread: the person's new messages appear there, and
 * the operator who took it answers the person by replying in the thread ("note: …" is an internal note, never sent).
 *
 * The thread of each conversation is remembered in memory (bounded): after a restart a conversation that enters
 * the queue again gets a new post, and pressing a button of an old post links its thread again.
 */
export function createSlackChannel(app: App, opts: SlackChannelOptions): SlackChannel {
  const log = opts.log ?? pino({ level: "silent" });
  const logger = boltLogger(log);
  const clientOptions = {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: opts.retries ?? (opts.apiUrl ? 0 : 3) },
    logger,
  };
  const web = new webApi.WebClient(opts.botToken, clientOptions);

  let ids: Promise<{ botId?: string; botUserId?: string }> | undefined = opts.botId && opts.botUserId ? Promise.resolve({ botId: opts.botId, botUserId: opts.botUserId }) : undefined;
  const authorize = async (): Promise<AuthorizeResult> => {
    ids ??= web.auth.test().then((r) => ({ botId: r.bot_id, botUserId: r.user_id }));
    try {
      const { botId, botUserId } = await ids;
      return { botToken: opts.botToken, botId, botUserId };
    } catch (e) {
      ids = undefined;
      throw e;
    }
  };

  const receiver = new ExpressReceiver({
    signingSecret: opts.signingSecret,
    endpoints: "/slack/events",
    processBeforeResponse: opts.processBeforeResponse ?? false,
    logger,
  });
  const bolt = new BoltApp({ authorize, receiver, logger, clientOptions });

  const seenMessages = new BoundedMap<string, true>(5_000);
  const perConversation = new KeyedQueue();

  // Thread links live in the database, so that every instance (and this one after a restart) finds them.
  const threadOf = async (conversationId: string): Promise<Thread | undefined> => {
    const t = await app.store.getSlackThread({ conversationId });
    return t ? { ts: t.ts, state: t.state, card: t.card as unknown as QueueCard } : undefined;
  };
  const remember = (conversationId: string, thread: Thread) =>
    app.store.saveSlackThread({ conversationId, ts: thread.ts, state: thread.state, card: { ...thread.card } });

  const ephemeral = (user: string, text: string, threadTs?: string) =>
    web.chat.postEphemeral({ channel: opts.channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }).catch((e: unknown) => log.warn({ err: String(e) }, "slack ephemeral failed"));

  async function card(conversationId: string, urgent: boolean, lang: string): Promise<QueueCard> {
    const item = (await app.handoff.queue()).find((q) => q.conversationId === conversationId);
    const conv = item ? undefined : await app.store.getConversation(conversationId);
    // The person's last words: a written message if there is one (a "/human" or a button says little).
    const mine = (await app.store.listMessages(conversationId)).filter((m) => m.sender === "user");
    const last = mine.filter((m) => m.kind === "text").at(-1) ?? mine.at(-1);
    return {
      conversationId,
      lang: item?.lang ?? conv?.lang ?? lang,
      urgent: item?.urgent ?? urgent,
      channel: item?.channel ?? conv?.channel ?? "?",
      topic: item?.topic ?? null,
      municipality: item?.municipality ?? conv?.profile.municipality ?? null,
      summary: last ? summarize(describePersonMessage(last)) : "",
    };
  }

  async function status(e: ConversationEvents["state"]): Promise<string> {
    if (e.state !== "with_operator" || !e.operatorId) return STATUS[e.state];
    const op = await app.store.getOperator(e.operatorId);
    return `${STATUS.with_operator} by ${op?.slackUserId ? `<@${op.slackUserId}>` : escapeSlack(op?.username ?? "an operator")}`;
  }

  async function onState(e: ConversationEvents["state"]): Promise<void> {
    const thread = await threadOf(e.conversationId);
    if (e.state === "waiting_for_operator") {
      const c = await card(e.conversationId, e.urgent, e.lang);
      const { text, blocks } = queueBlocks(c, await status(e));
      if (!thread) {
        const r = await web.chat.postMessage({ channel: opts.channel, text, blocks, unfurl_links: false });
        if (r.ts) await remember(e.conversationId, { ts: r.ts, card: c, state: e.state });
        return;
      }
      await web.chat.update({ channel: opts.channel, ts: thread.ts, text, blocks });
      if (thread.state !== "waiting_for_operator")
        await web.chat.postMessage({ channel: opts.channel, thread_ts: thread.ts, text: `${c.urgent ? "🚨 " : ""}Back in the queue.`, reply_broadcast: true });
      await remember(e.conversationId, { ts: thread.ts, card: c, state: e.state });
      return;
    }
    if (!thread) return;
    const c = { ...thread.card, urgent: e.urgent };
    const { text, blocks } = queueBlocks(c, await status(e));
    await web.chat.update({ channel: opts.channel, ts: thread.ts, text, blocks });
    await remember(e.conversationId, { ...thread, card: c, state: e.state });
  }

  // Events of this instance only: with several instances each event is posted by the instance where it happened.
  const offState = app.bus.onLocal("state", (e) => {
    void perConversation.run(e.conversationId, () => onState(e)).catch((err: unknown) => log.error({ err: String(err) }, "slack queue post failed"));
  });

  // The person's new messages go into the conversation's thread while operators handle it.
  const offMessage = app.bus.onLocal("message", (e) => {
    if (e.message.sender !== "user") return;
    void perConversation
      .run(e.conversationId, async () => {
        const thread = await threadOf(e.conversationId);
        if (!thread || (thread.state !== "waiting_for_operator" && thread.state !== "with_operator")) return;
        await web.chat.postMessage({ channel: opts.channel, thread_ts: thread.ts, text: `👤 ${escapeSlack(describePersonMessage(e.message))}`, unfurl_links: false });
      })
      .catch((err: unknown) => log.error({ err: String(err) }, "slack relay failed"));
  });

  const actions: Record<string, { verb: string; run: (id: string, op: Operator) => Promise<unknown> }> = {
    [ACTION_TAKE]: { verb: "took the conversation", run: (id, op) => app.handoff.claim(id, op) },
    [ACTION_RELEASE]: { verb: "gave the conversation back to the bot", run: (id, op) => app.handoff.release(id, op) },
    [ACTION_CLOSE]: { verb: "closed the conversation", run: (id, op) => app.handoff.close(id, op, "closed from Slack") },
  };

  for (const [actionId, a] of Object.entries(actions)) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const user = body.user.id;
      const conversationId = action.value ?? "";
      const threadTs = (body.message?.thread_ts as string | undefined) ?? body.message?.ts;
      // A post whose link was lost (posted before links were stored) is linked again by pressing one of its buttons.
      if (threadTs && conversationId && !(await threadOf(conversationId))) {
        const c = await app.store.getConversation(conversationId);
        if (c) await remember(conversationId, { ts: threadTs, card: await card(conversationId, c.urgent, c.lang), state: c.state });
      }
      const op = await app.store.findOperatorBySlack(user);
      if (!op) {
        await ephemeral(user, "You are not an operator of Orienta: ask an administrator to link your Slack account.", threadTs);
        return;
      }
      try {
        await a.run(conversationId, op);
        if (threadTs) await web.chat.postMessage({ channel: opts.channel, thread_ts: threadTs, text: `<@${user}> ${a.verb}.` });
      } catch (e) {
        if (!(e instanceof HandoffError)) throw e;
        const why =
          e.code === "not_found" ? "This conversation no longer exists (it was deleted)." :
          e.code === "forbidden" ? "Another operator holds this conversation." :
          `Not possible now: ${e.message}.`;
        await ephemeral(user, why, threadTs);
      }
    });
  }

  bolt.event("message", async ({ event }) => {
    const m = event as unknown as { channel?: string; user?: string; text?: string; ts: string; thread_ts?: string; subtype?: string; bot_id?: string; client_msg_id?: string };
    if (m.subtype || m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts || m.channel !== opts.channel) return;
    const key = m.client_msg_id ?? m.ts;
    if (seenMessages.has(key)) return; // Slack delivers an event again when it got no answer in time
    seenMessages.set(key, true);
    const conversationId = (await app.store.getSlackThread({ ts: m.thread_ts }))?.conversationId;
    if (!conversationId) return;
    const op = await app.store.findOperatorBySlack(m.user);
    if (!op) return;
    const raw = m.text ?? "";
    try {
      if (NOTE.test(raw)) {
        const note = fromSlackText(raw.replace(NOTE, ""));
        if (note) await app.handoff.note(conversationId, op, note);
        await ephemeral(m.user, "Note saved: it is not sent to the person.", m.thread_ts);
        return;
      }
      const text = fromSlackText(raw);
      if (!text) return;
      const c = await app.store.getConversation(conversationId);
      if (!c || c.state !== "with_operator" || c.operatorId !== op.id) {
        await ephemeral(m.user, "Not sent: only the operator who took this conversation writes to the person. Press Take first.", m.thread_ts);
        return;
      }
      await app.handoff.reply(conversationId, op, text);
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      await ephemeral(m.user, `Not sent: ${e.message}.`, m.thread_ts);
    }
  });

  bolt.error(async (e) => {
    log.error({ err: String(e) }, "slack handler failed");
  });

  return {
    router: receiver.router,
    async stop() {
      offState();
      offMessage();
    },
  };
}
