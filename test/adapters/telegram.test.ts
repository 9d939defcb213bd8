import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { openStore, type Operator } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { translator } from "../../src/language/i18n.js";
import { projectRoot } from "../../src/cli/paths.js";
import { createTelegramChannel, type TelegramChannel } from "../../adapters/telegram/index.js";
import { realEngine, testConfig } from "../helpers.js";
import { FakeTelegram, FAKE_BOT_INFO, callbackUpdate, locationUpdate, photoUpdate, textUpdate } from "./fake-telegram.js";

let app: App;
let fake: FakeTelegram;
let channel: TelegramChannel;
let ana: Operator;

const TOKEN = "123456:TEST-TOKEN";
const texts = (chatId: number) => fake.sent("sendMessage", chatId).map((b) => String(b.text));
const conversationOf = async (chatId: number) => (await app.store.findByExternalRef("telegram", String(chatId)))!;

/** Waits until every message the bot stored for this chat has been sent (the turn is over), whatever the load. */
async function delivered(chatId: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const conv = await app.store.findByExternalRef("telegram", String(chatId));
    const stored = conv ? (await app.store.listMessages(conv.id)).filter((m) => m.sender !== "user").length : 0;
    if (conv && stored > 0 && texts(chatId).length >= stored) return;
    if (Date.now() > deadline) throw new Error(`chat ${chatId}: ${stored} stored, ${texts(chatId).length} sent`);
    await settle(50);
  }
}

async function say(chatId: number, text: string, languageCode = "it"): Promise<string[]> {
  const before = texts(chatId).length;
  fake.pushUpdate(textUpdate(chatId, text, languageCode));
  await fake.waitFor(() => texts(chatId).length > before, 10_000, `a reply in chat ${chatId}`);
  await delivered(chatId);
  return texts(chatId).slice(before);
}

/** Lets the per-chat queue finish what it is sending. */
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-telegram-")) });
  app = assemble(testConfig(), kb, engine, store);
  ana = await store.createOperator({ username: "ana-tg", passwordHash: await hashPassword("a long enough password"), languages: ["it", "ar"], role: "operator" });
  fake = await FakeTelegram.start();
  channel = createTelegramChannel(app, { token: TOKEN, mode: "polling", apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO, pollTimeoutSeconds: 1 });
  await channel.start();
});

afterAll(async () => {
  await channel?.stop();
  await fake?.close();
  await app?.store.close();
});

describe("Telegram channel (polling, against a local Bot API)", () => {
  it("deletes any webhook and registers the command menu in all 18 languages at start", () => {
    expect(fake.sent("deleteWebhook").length).toBe(1);
    const menus = fake.sent("setMyCommands");
    const codes = menus.map((b) => b.language_code).filter(Boolean);
    expect(new Set(codes).size).toBe(18);
    expect(codes).toEqual(expect.arrayContaining(["it", "en", "ar", "ti", "ps", "so", "zh"]));
    const ar = menus.find((b) => b.language_code === "ar")!;
    const commands = ar.commands as { command: string; description: string }[];
    expect(commands.map((c) => c.command)).toEqual(["start", "language", "human", "privacy", "delete"]);
    expect(commands[1]!.description).toMatch(/[\u0600-\u06FF]/);
  });

  it("greets in Arabic a person whose Telegram is in Arabic, with the language buttons", async () => {
    const chat = 1001;
    const [greeting] = await say(chat, "/start", "ar");
    expect((await conversationOf(chat)).lang).toBe("ar");
    const english = translator("en")("greeting");
    if (existsSync(join(projectRoot(), "src/language/locales/ar.json"))) expect(greeting).not.toContain(english);
    else expect(greeting).toBeTruthy();
    const first = fake.sent("sendMessage", chat)[0]!;
    expect(first.parse_mode).toBeUndefined();
    const rows = (first.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(rows.flat().map((b) => b.callback_data)).toContain("lang:ar");
    expect(rows.flat().length).toBe(18);
  });

  it("answers a question with services", async () => {
    const chat = 1002;
    const replies = await say(chat, "non ho dove dormire stanotte");
    expect(replies.join("\n")).toMatch(/Sammartini|Jannacci|bassa soglia/i);
    const stored = await app.store.listMessages((await conversationOf(chat)).id);
    expect(stored[0]).toMatchObject({ sender: "user", kind: "text", text: "non ho dove dormire stanotte" });
    expect(stored.some((m) => m.sender === "bot" && Array.isArray((m.payload as { services?: unknown[] }).services))).toBe(true);
  });

  it("answers a button press and acts on it", async () => {
    const chat = 1003;
    await say(chat, "/start");
    const before = texts(chat).length;
    const u = fake.pushUpdate(callbackUpdate(chat, "lang:en"));
    await fake.waitFor(() => texts(chat).length > before);
    await delivered(chat);
    const id = (u as { callback_query: { id: string } }).callback_query.id;
    expect(fake.sent("answerCallbackQuery").some((b) => b.callback_query_id === id)).toBe(true);
    expect(texts(chat).at(-1)).toContain(translator("en")("language_set"));
    expect((await conversationOf(chat)).lang).toBe("en");
    expect(fake.sent("editMessageReplyMarkup", chat).length).toBeGreaterThan(0);
  });

  it("takes a location and answers with what is nearest", async () => {
    const chat = 1004;
    await say(chat, "cerco una mensa per mangiare");
    const before = texts(chat).length;
    fake.pushUpdate(locationUpdate(chat, 45.4642, 9.19));
    await fake.waitFor(() => texts(chat).length > before);
    await delivered(chat);
    const stored = await app.store.listMessages((await conversationOf(chat)).id);
    expect(stored.some((m) => m.sender === "user" && m.kind === "location" && (m.payload as { lat: number }).lat === 45.4642)).toBe(true);
  });

  it("answers a photo politely: files are not read", async () => {
    const chat = 1005;
    fake.pushUpdate(photoUpdate(chat));
    await fake.waitFor(() => texts(chat).length > 0);
    await delivered(chat);
    expect(texts(chat).join("\n")).toContain(translator("it")("file_received"));
  });

  it("hands off: the operator's claim and reply reach the chat, and the bot stays silent meanwhile", async () => {
    const chat = 1006;
    await say(chat, "/human");
    const conv = await conversationOf(chat);
    expect(conv.state).toBe("waiting_for_operator");
    const before = texts(chat).length;
    await app.handoff.claim(conv.id, ana);
    await app.handoff.reply(conv.id, ana, "Buongiorno, sono Ana. Come posso aiutarti?");
    await fake.waitFor(() => texts(chat).length >= before + 2);
    await settle();
    expect(texts(chat).slice(before)).toEqual([translator("it")("operator_joined"), "Buongiorno, sono Ana. Come posso aiutarti?"]);

    const quiet = texts(chat).length;
    fake.pushUpdate(textUpdate(chat, "grazie, ho bisogno di un letto"));
    await settle(1000);
    expect(texts(chat).length).toBe(quiet);
    const stored = await app.store.listMessages(conv.id);
    expect(stored.at(-1)).toMatchObject({ sender: "user", text: "grazie, ho bisogno di un letto" });
  });

  it("retries a 429 after retry_after and delivers exactly once", async () => {
    const chat = 1007;
    fake.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    const started = Date.now();
    const replies = await say(chat, "/privacy");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.filter((c) => c.method === "sendMessage" && !c.ok && c.errorCode === 429).length).toBe(1);
    await settle(500);
    expect(texts(chat)).toEqual(replies);
    expect(texts(chat).length).toBe(1);
  });

  it("processes a duplicated update once, also after a restart (the store has it)", async () => {
    const chat = 1008;
    const update = fake.pushUpdate(textUpdate(chat, "cerco un corso di italiano"));
    await fake.waitFor(() => texts(chat).length > 0);
    await delivered(chat);
    const replies = texts(chat).length;
    fake.pushUpdate(update);
    await settle(1500);
    expect(texts(chat).length).toBe(replies);

    // A second instance with empty memory (a restart) gets the same update again: the store already has it.
    await channel.stop();
    channel = createTelegramChannel(app, { token: TOKEN, mode: "polling", apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO, pollTimeoutSeconds: 1, setCommands: false });
    await channel.start();
    fake.pushUpdate({ ...update, update_id: update.update_id });
    await settle(1500);
    expect(texts(chat).length).toBe(replies);
    const stored = await app.store.listMessages((await conversationOf(chat)).id);
    expect(stored.filter((m) => m.sender === "user").length).toBe(1);
  });

  it("sends after a restart what was stored but never delivered, once (the outbox)", async () => {
    const chat = 1012;
    await say(chat, "ciao");
    const conv = await conversationOf(chat);
    // A reply stored while the process died before sending it: nothing marks it delivered.
    const [pending] = await app.store.appendMessages(conv.id, [{ sender: "operator", kind: "text", text: "Risposta rimasta in sospeso" }]);
    expect((await app.store.pendingDeliveries("telegram", new Date(0))).map((p) => p.message.id)).toContain(pending!.id);
    await channel.stop();
    channel = createTelegramChannel(app, { token: TOKEN, mode: "polling", apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO, pollTimeoutSeconds: 1, setCommands: false });
    await channel.start();
    await fake.waitFor(() => texts(chat).includes("Risposta rimasta in sospeso"), 10_000, "the pending reply");
    expect((await app.store.pendingDeliveries("telegram", new Date(0))).map((p) => p.message.id)).not.toContain(pending!.id);
    // Another restart sends nothing again.
    await channel.stop();
    channel = createTelegramChannel(app, { token: TOKEN, mode: "polling", apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO, pollTimeoutSeconds: 1, setCommands: false });
    await channel.start();
    await settle(800);
    expect(texts(chat).filter((t) => t === "Risposta rimasta in sospeso")).toHaveLength(1);
  });

  it("splits a long message under 4096 characters at line boundaries, in order", async () => {
    const chat = 1009;
    await say(chat, "/human");
    const conv = await conversationOf(chat);
    await app.handoff.claim(conv.id, ana);
    const paragraph = (i: number) => `${i}. ${"Informazioni sul servizio e sugli orari di apertura. ".repeat(12)}`.trim();
    const long = Array.from({ length: 20 }, (_, i) => paragraph(i)).join("\n\n");
    expect(long.length).toBeGreaterThan(9000);
    const before = texts(chat).length;
    await app.handoff.reply(conv.id, ana, long);
    await fake.waitFor(() => texts(chat).slice(before).join("").includes("19. "));
    await settle();
    const parts = texts(chat).slice(before).filter((t) => t !== translator("it")("operator_joined"));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    for (const p of parts) expect(p).toMatch(/^\d+\. /);
    expect(parts.join("\n\n")).toBe(long);
  });
});

describe("Telegram channel (webhook)", () => {
  it("refuses an update without the secret (401) and handles one with it", async () => {
    const hook = createTelegramChannel(app, { token: TOKEN, mode: "webhook", apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO, webhookSecret: "s3cret-Token_1", setCommands: false });
    await hook.start();
    const web = express();
    web.use("/telegram/webhook", hook.webhookHandler!);
    const server = await new Promise<Server>((resolve) => {
      const s = web.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
      const chat = 1010;
      const body = JSON.stringify({ update_id: 900001, ...textUpdate(chat, "/privacy") });
      const refused = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(refused.status).toBe(401);
      const wrong = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "nope" }, body });
      expect(wrong.status).toBe(401);
      expect(await app.store.findByExternalRef("telegram", String(chat))).toBeUndefined();
      const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret-Token_1" }, body });
      expect(ok.status).toBe(200);
      await fake.waitFor(() => texts(chat).length > 0);
      expect(texts(chat)[0]).toBeTruthy();
    } finally {
      await hook.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("refuses to start in webhook mode without a secret", () => {
    expect(() => createTelegramChannel(app, { token: TOKEN, mode: "webhook", botInfo: FAKE_BOT_INFO })).toThrow(/secret/);
  });
});
