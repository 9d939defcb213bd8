import express, { type RequestHandler } from "express";
import { Bot, webhookCallback, type Context } from "grammy";
import type { Message, UserFromGetMe } from "grammy/types";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { autoRetry } from "@grammyjs/auto-retry";
import { pino, type Logger } from "pino";
import type { App } from "../../src/app.js";
import type { Inbound, QuickReply } from "../../src/engine/messages.js";
import { inboundRecord } from "../../src/engine/engine.js";
import { KeyedQueue } from "../../src/http/keyed-queue.js";
import type { Conversation } from "../../src/store/store.js";
import { LANGUAGES } from "../../src/language/languages.js";
import { BoundedSet } from "./bounded.js";
import { commandMenu, hashedCallback, inboundText, inlineKeyboard, langFromCode, parseCommand, splitMessage } from "./format.js";

export const CHANNEL = "telegram";

export interface TelegramChannelOptions {
  token: string;
  mode: "polling" | "webhook";
  /** A self-hosted Bot API server, e.g. "http://127.0.0.1:8081" (no trailing slash). */
  apiRoot?: string;
  /** Required in webhook mode: Telegram sends it back in X-Telegram-Bot-Api-Secret-Token. 1-256 of A-Z a-z 0-9 _ -. */
  webhookSecret?: string;
  /** The bot's getMe answer: with it no getMe call is made (tests, or to start without the network). */
  botInfo?: UserFromGetMe;
  /** Webhook mode: the public HTTPS URL of the webhook, registered with setWebhook at start(). Without it, register it yourself. */
  webhookUrl?: string;
  /** Long-polling timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Longest retry_after honoured on 429 before a message is given up (default 120 s). */
  maxRetryAfterSeconds?: number;
  /** Register the command menu (setMyCommands) in every language at start() (default true). */
  setCommands?: boolean;
  log?: Logger;
}

export interface TelegramChannel {
  bot: Bot;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Webhook mode: an express handler to mount, e.g. `web.use("/telegram/webhook", channel.webhookHandler)`. */
  webhookHandler?: RequestHandler;
}

const ALLOWED_UPDATES = ["message", "callback_query"] as const;
const SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The Telegram channel. One conversation per private chat (externalRef = chat id). Updates become Inbound
 * messages for the Inbox; every outbound message is sent as plain text (no parse_mode), split under 4096
 * characters, buttons as an inline keyboard. Operator and system messages reach the chat through the bus.
 *
 * Order: updates of one chat are handled one at a time (runner `sequentialize`, in both modes), and everything
 * sent to one chat (turn replies and operator messages) goes through one queue per chat.
 * Never twice: an update id already handled is ignored (in memory, bounded), a message whose copy is already in
 * the store is ignored (after a restart), each stored message id is sent at most once per process, and every sent
 * message is recorded in the outbox table; what was stored but never delivered is sent when the channel starts.
 */
export function createTelegramChannel(app: App, opts: TelegramChannelOptions): TelegramChannel {
  const log = opts.log ?? pino({ level: "silent" });
  if (opts.apiRoot?.endsWith("/")) throw new Error("TELEGRAM_API_ROOT must not end with a slash");
  if (opts.mode === "webhook" && !(opts.webhookSecret && SECRET_RE.test(opts.webhookSecret)))
    throw new Error("Telegram webhook mode needs a webhook secret of 1-256 characters A-Z a-z 0-9 _ -");

  const bot = new Bot(opts.token, {
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
    client: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}) },
  });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: opts.maxRetryAfterSeconds ?? 120, rethrowHttpErrors: true }));

  const seenUpdates = new BoundedSet<number>(10_000);
  const sentMessages = new BoundedSet<number>(50_000);
  const perChat = new KeyedQueue();

  async function send(chatId: number, text: string, quickReplies?: QuickReply[]): Promise<void> {
    const chunks = splitMessage(text || " ");
    const keyboard = inlineKeyboard(quickReplies);
    for (const [i, chunk] of chunks.entries()) {
      await bot.api.sendMessage(chatId, chunk, {
        link_preview_options: { is_disabled: true },
        ...(i === chunks.length - 1 && keyboard ? { reply_markup: keyboard } : {}),
      });
    }
  }

  /**
   * Sends a stored message and records its delivery in the outbox (`deliveries`). Refused for good (4xx: the person
   * blocked the bot) is recorded too, so it is not tried again; a network error or 429/5xx beyond the retries leaves it
   * pending, and it is sent when the channel starts again (at least once: after a crash between sending and
   * recording, one message can arrive twice).
   */
  async function sendSafely(chatId: number, text: string, quickReplies?: QuickReply[], messageId?: number): Promise<void> {
    try {
      await send(chatId, text, quickReplies);
      if (messageId !== undefined) await app.store.markDelivered([messageId]);
    } catch (e) {
      log.warn({ err: String(e), method: "sendMessage" }, "telegram send failed");
      const code = (e as { error_code?: number }).error_code;
      if (messageId !== undefined && code !== undefined && code >= 400 && code < 500 && code !== 429)
        await app.store.markDelivered([messageId], "refused").catch(() => undefined);
    }
  }

  /** The outbox after a restart: what was stored for Telegram chats and never delivered, in order, per chat. */
  async function drainPending(): Promise<void> {
    const pending = await app.store.pendingDeliveries(CHANNEL, new Date(Date.now() - 24 * 3_600_000));
    for (const { externalRef, message } of pending) {
      if (sentMessages.has(message.id)) continue;
      sentMessages.add(message.id);
      await perChat.run(externalRef, () =>
        sendSafely(Number(externalRef), message.text, (message.payload as { quickReplies?: QuickReply[] }).quickReplies, message.id),
      );
    }
    if (pending.length) log.info({ count: pending.length }, "telegram: pending messages sent after restart");
  }

  async function conversationFor(chatRef: string, languageCode: string | undefined): Promise<Conversation> {
    const found = await app.store.findByExternalRef(CHANNEL, chatRef);
    if (found) return found;
    const lang = langFromCode(languageCode);
    try {
      return await app.store.createConversation({ channel: CHANNEL, externalRef: chatRef, ...(lang ? { lang } : {}) });
    } catch (e) {
      // Another instance created it meanwhile (unique channel + external_ref).
      const again = await app.store.findByExternalRef(CHANNEL, chatRef);
      if (again) return again;
      throw e;
    }
  }

  /** After a restart the in-memory ids are gone: a redelivered message whose copy is already stored is ignored. */
  async function alreadyStored(conversationId: string, inbound: Inbound, date: number): Promise<boolean> {
    const want = inboundRecord(inbound);
    const since = date * 1000;
    const messages = await app.store.listMessages(conversationId);
    return messages.some(
      (m) => m.sender === "user" && m.createdAt.getTime() >= since && m.kind === want.kind && m.text === want.text &&
        JSON.stringify(m.payload ?? {}) === JSON.stringify(want.payload ?? {}),
    );
  }

  /** A button press: the value, or for long values the quick reply whose hash it carries (found in the transcript). */
  async function choiceFor(conversationId: string, data: string): Promise<Inbound | undefined> {
    if (!data.startsWith("h:")) return { kind: "choice", value: data };
    const messages = await app.store.listMessages(conversationId);
    for (const m of messages.reverse()) {
      const qr = (m.payload as { quickReplies?: QuickReply[] }).quickReplies;
      const hit = qr?.find((q) => hashedCallback(q.value) === data);
      if (hit) return { kind: "choice", value: hit.value.slice(0, 200) };
    }
    return undefined;
  }

  function fromMessage(msg: Message, botUsername: string | undefined): Inbound | undefined {
    if (msg.text !== undefined) return parseCommand(msg.text, botUsername) ?? inboundText(msg.text);
    const where = msg.location ?? msg.venue?.location;
    if (where) return { kind: "location", lat: where.latitude, lon: where.longitude };
    const clip = (s: string | undefined, n: number) => (s ? s.slice(0, n) : undefined);
    const file = (name: string | undefined, mime: string | undefined): Inbound => ({
      kind: "file",
      ...(name ? { name: clip(name, 255) } : {}),
      ...(mime ? { mime: clip(mime, 120) } : {}),
    });
    if (msg.photo) return file(undefined, "image/jpeg");
    if (msg.document) return file(msg.document.file_name, msg.document.mime_type);
    if (msg.voice) return file(undefined, msg.voice.mime_type ?? "audio/ogg");
    if (msg.audio) return file(msg.audio.file_name, msg.audio.mime_type);
    if (msg.video) return file(msg.video.file_name, msg.video.mime_type);
    if (msg.video_note) return file(undefined, "video/mp4");
    if (msg.animation) return file(msg.animation.file_name, msg.animation.mime_type);
    if (msg.sticker?.emoji) return inboundText(msg.sticker.emoji);
    return undefined;
  }

  async function handle(ctx: Context): Promise<void> {
    const cq = ctx.callbackQuery;
    // Always answer a button press, even a repeated one, so the client stops its spinner.
    if (cq) await ctx.answerCallbackQuery().catch((e: unknown) => log.debug({ err: String(e) }, "answerCallbackQuery failed"));
    const updateId = ctx.update.update_id;
    if (seenUpdates.has(updateId)) return;
    seenUpdates.add(updateId);

    const chat = ctx.chat;
    // People write to the bot privately; groups and channels are not served (a person's situation is private).
    if (!chat || chat.type !== "private" || ctx.from?.is_bot) return;
    const msg = ctx.message;
    const fromMsg = msg ? fromMessage(msg, bot.isInited() ? bot.botInfo.username : undefined) : undefined;
    if (!cq?.data && !fromMsg) return;
    const chatRef = String(chat.id);

    await perChat.run(chatRef, async () => {
      const conv = await conversationFor(chatRef, ctx.from?.language_code);
      let inbound = fromMsg;
      if (cq?.data) {
        inbound = await choiceFor(conv.id, cq.data);
        // The keyboard is spent: removing it avoids a second press of the same button later on.
        if (cq.message) void bot.api.editMessageReplyMarkup(chat.id, cq.message.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
      } else if (msg && inbound && (await alreadyStored(conv.id, inbound, msg.date))) {
        log.info({ updateId }, "telegram message already stored: ignored");
        return;
      }
      if (!inbound) return;
      const result = await app.inbox.receive(conv.id, inbound);
      // The stored copies are announced on the bus too: they are sent here, in order, and never again there.
      for (const m of result.stored ?? []) sentMessages.add(m.id);
      // stored[0] is the person's message; the replies follow in the order of result.messages.
      const replyIds = (result.stored ?? []).filter((m) => m.sender !== "user").map((m) => m.id);
      for (const [i, m] of result.messages.entries()) await sendSafely(chat.id, m.text, m.quickReplies, result.replayed ? undefined : replyIds[i]);
    });
  }

  bot.use(sequentialize<Context>((ctx) => ctx.chat?.id.toString()));
  bot.use(async (ctx) => {
    try {
      await handle(ctx);
    } catch (e) {
      log.error({ err: String(e), updateId: ctx.update.update_id }, "telegram update failed");
    }
  });
  bot.catch((err) => log.error({ err: String(err.error) }, "telegram middleware error"));

  // Operators' replies and system notices (joined, back to the bot, closed) for Telegram conversations.
  // Events of this instance only: with several instances each event is pushed by the instance where it happened.
  const offMessage = app.bus.onLocal("message", (e) => {
    const m = e.message;
    if (e.channel !== CHANNEL || !e.externalRef || (m.sender !== "operator" && m.sender !== "system")) return;
    if (sentMessages.has(m.id)) return;
    const chatRef = e.externalRef;
    void perChat
      .run(chatRef, async () => {
        if (sentMessages.has(m.id)) return;
        sentMessages.add(m.id);
        await sendSafely(Number(chatRef), m.text, (m.payload as { quickReplies?: QuickReply[] }).quickReplies, m.id);
      })
      .catch((err: unknown) => log.error({ err: String(err) }, "telegram delivery failed"));
  });

  async function setCommands(): Promise<void> {
    if (opts.setCommands === false) return;
    try {
      await bot.api.setMyCommands(commandMenu("en"));
      for (const lang of LANGUAGES) await bot.api.setMyCommands(commandMenu(lang), { language_code: lang });
    } catch (e) {
      log.warn({ err: String(e) }, "telegram setMyCommands failed");
    }
  }

  let runner: RunnerHandle | undefined;

  const channel: TelegramChannel = {
    bot,
    async start() {
      await bot.init();
      if (opts.mode === "polling") {
        await bot.api.deleteWebhook();
        await setCommands();
        runner = run(bot, {
          runner: { fetch: { timeout: opts.pollTimeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES }, silent: true },
        });
      } else {
        if (opts.webhookUrl)
          await bot.api.setWebhook(opts.webhookUrl, { secret_token: opts.webhookSecret, allowed_updates: ALLOWED_UPDATES });
        await setCommands();
      }
      await drainPending().catch((e) => log.error({ err: String(e) }, "telegram: sending pending messages failed"));
      log.info({ mode: opts.mode, bot: bot.botInfo.username }, "telegram channel started");
    },
    async stop() {
      offMessage();
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
    },
  };

  if (opts.mode === "webhook") {
    const router = express.Router();
    router.post(
      "/",
      express.json({ limit: "1mb" }),
      // An update is acknowledged only once it is stored: a turn slower than this answers with an error, Telegram
      // sends the update again later, and the copy is recognised (update id in memory, or the stored message).
      webhookCallback(bot, "express", { secretToken: opts.webhookSecret, onTimeout: "throw", timeoutMilliseconds: 25_000 }),
    );
    channel.webhookHandler = router;
  }
  return channel;
}
