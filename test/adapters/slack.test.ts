import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { openStore, type Operator } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { createSlackChannel, type SlackChannel } from "../../adapters/slack/index.js";
import { ACTION_CLOSE, ACTION_RELEASE, ACTION_TAKE, fromSlackText, summarize } from "../../adapters/slack/format.js";
import { realEngine, testConfig } from "../helpers.js";
import { FakeSlack, slackHeaders } from "./fake-slack.js";

const SECRET = "test-signing-secret";
const CHANNEL = "C_OPERATORS";

let app: App;
let fake: FakeSlack;
let slack: SlackChannel;
let server: Server;
let url: string;
let ana: Operator;

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-slack-")) });
  app = assemble(testConfig(), kb, engine, store);
  const hash = await hashPassword("a long enough password");
  ana = await store.createOperator({ username: "ana-slack", passwordHash: hash, languages: ["it"], role: "operator", slackUserId: "U_ANA" });
  await store.createOperator({ username: "bo-slack", passwordHash: hash, languages: ["en"], role: "operator", slackUserId: "U_BO" });
  fake = await FakeSlack.start();
  slack = createSlackChannel(app, { botToken: "xoxb-test", signingSecret: SECRET, channel: CHANNEL, apiUrl: fake.apiUrl, botId: "B_BOT", botUserId: "U_BOT", processBeforeResponse: true });
  const web = express();
  web.use(slack.router);
  server = await new Promise<Server>((resolve) => {
    const s = web.listen(0, "127.0.0.1", () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await slack?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await fake?.close();
  await app?.store.close();
});

function postEvent(event: Record<string, unknown>, headers?: Record<string, string>) {
  const body = JSON.stringify({ token: "x", team_id: "T1", api_app_id: "A1", type: "event_callback", event_id: `Ev${Math.random()}`, event_time: 1, event });
  return fetch(url, { method: "POST", headers: headers ?? slackHeaders(SECRET, body, "application/json"), body });
}

function clickButton(user: string, actionId: string, conversationId: string, messageTs: string) {
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T1" },
    api_app_id: "A1",
    token: "x",
    team: { id: "T1", domain: "t" },
    container: { type: "message", message_ts: messageTs, channel_id: CHANNEL },
    trigger_id: "1.2.3",
    channel: { id: CHANNEL, name: "operatori" },
    message: { type: "message", ts: messageTs, text: "…" },
    response_url: `${fake.apiUrl}response`,
    actions: [{ type: "button", action_id: actionId, block_id: "orienta_conversation", value: conversationId, action_ts: "1" }],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return fetch(url, { method: "POST", headers: slackHeaders(SECRET, body, "application/x-www-form-urlencoded"), body });
}

const threadReply = (user: string, text: string, threadTs: string) =>
  postEvent({ type: "message", channel: CHANNEL, channel_type: "channel", user, text, ts: `${Date.now() / 1000}`, thread_ts: threadTs, client_msg_id: `m-${Math.random()}` });

type Block = { type: string; elements?: { action_id?: string; value?: string }[]; text?: { text: string }; fields?: { text: string }[] };

/** A person who asks for a human: their conversation enters the queue and is posted to the channel. */
async function waitingConversation(first: string) {
  const before = fake.of("chat.postMessage").length;
  const c = await app.store.createConversation({ channel: "webchat" });
  await app.inbox.receive(c.id, { kind: "text", text: first });
  const r = await app.inbox.receive(c.id, { kind: "command", command: "human" });
  expect(r.handoff).toBe(true);
  await fake.waitFor(() => fake.of("chat.postMessage").slice(before).some((b) => !b.thread_ts), 5000, "queue post");
  const call = fake.calls.filter((x) => x.method === "chat.postMessage").slice(before).find((x) => !x.body.thread_ts)!;
  return { id: c.id, post: call.body, ts: call.ts };
}

describe("Slack operators' channel", () => {
  let conv: { id: string; post: Record<string, unknown>; ts: string };

  it("posts a conversation entering the queue with language, urgency, a redacted summary and a Take button", async () => {
    conv = await waitingConversation("Non ho dove dormire stanotte, chiamatemi al 333 1234567");
    expect(conv.post.channel).toBe(CHANNEL);
    const blocks = conv.post.blocks as Block[];
    const all = JSON.stringify(blocks);
    expect(all).toContain("Italiano");
    expect(all).toMatch(/Urgency/);
    expect(all).toContain("chiamatemi al [phone]");
    expect(all).not.toContain("1234567");
    const buttons = blocks.find((b) => b.type === "actions")!.elements!;
    expect(buttons.map((e) => e.action_id)).toEqual([ACTION_TAKE, ACTION_RELEASE, ACTION_CLOSE]);
    expect(buttons[0]!.value).toBe(conv.id);
    expect(fake.calls.find((c) => c.method === "chat.postMessage")!.authorization).toBe("Bearer xoxb-test");
  });

  it("tells a Slack user who is not an operator so, and changes nothing", async () => {
    const r = await clickButton("U_STRANGER", ACTION_TAKE, conv.id, conv.ts);
    expect(r.status).toBe(200);
    const eph = fake.of("chat.postEphemeral").at(-1)!;
    expect(eph.user).toBe("U_STRANGER");
    expect(String(eph.text)).toMatch(/not an operator/);
    expect((await app.store.getConversation(conv.id))!.state).toBe("waiting_for_operator");
  });

  it("Take claims the conversation for the operator linked to the Slack user", async () => {
    const r = await clickButton("U_ANA", ACTION_TAKE, conv.id, conv.ts);
    expect(r.status).toBe(200);
    const c = (await app.store.getConversation(conv.id))!;
    expect(c.state).toBe("with_operator");
    expect(c.operatorId).toBe(ana.id);
    await fake.waitFor(() => fake.of("chat.update").some((b) => b.ts === conv.ts && JSON.stringify(b.blocks).includes("<@U_ANA>")));
    expect(fake.of("chat.postMessage").some((b) => b.thread_ts === conv.ts && String(b.text).includes("took the conversation"))).toBe(true);
  });

  it("relays the holder's thread reply to the person, and only the holder's", async () => {
    const relayed: string[] = [];
    const off = app.bus.on("message", (e) => e.conversationId === conv.id && e.message.sender === "operator" && relayed.push(e.message.text));
    const r = await threadReply("U_ANA", "Ciao, sono Ana &amp; ti aiuto io: <https://comune.milano.it|Comune>", conv.ts);
    expect(r.status).toBe(200);
    expect(relayed).toEqual(["Ciao, sono Ana & ti aiuto io: Comune (https://comune.milano.it)"]);
    await threadReply("U_BO", "Posso aiutare anche io?", conv.ts);
    off();
    expect(relayed.length).toBe(1);
    expect(String(fake.of("chat.postEphemeral").at(-1)!.text)).toMatch(/only the operator who took/);
    const transcript = await app.store.listMessages(conv.id);
    expect(transcript.filter((m) => m.sender === "operator").map((m) => m.text)).toEqual(["Ciao, sono Ana & ti aiuto io: Comune (https://comune.milano.it)"]);
  });

  it("stores a 'note:' as an internal note and never sends it", async () => {
    await threadReply("U_ANA", "note: parla bene italiano, richiamare domani", conv.ts);
    const notes = await app.store.listNotes(conv.id);
    expect(notes.map((n) => n.text)).toContain("parla bene italiano, richiamare domani");
    const transcript = await app.store.listMessages(conv.id);
    expect(transcript.some((m) => m.text.includes("richiamare domani"))).toBe(false);
  });

  it("posts the person's new messages into the conversation's thread", async () => {
    await app.inbox.receive(conv.id, { kind: "text", text: "Grazie Ana, sono in stazione Centrale" });
    await fake.waitFor(() => fake.of("chat.postMessage").some((b) => b.thread_ts === conv.ts && String(b.text).includes("stazione Centrale")));
  });

  it("keeps thread links in the database: another instance (or this one restarted) relays a reply in the thread", async () => {
    // A second adapter on the same database, with nothing in memory: Slack may send the event to any instance.
    const other = createSlackChannel(app, { botToken: "xoxb-test", signingSecret: SECRET, channel: CHANNEL, apiUrl: fake.apiUrl, botId: "B_BOT", botUserId: "U_BOT", processBeforeResponse: true });
    const web = express();
    web.use(other.router);
    const s2 = await new Promise<Server>((resolve) => {
      const s = web.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      expect((await app.store.getSlackThread({ ts: conv.ts }))?.conversationId).toBe(conv.id);
      const body = JSON.stringify({ token: "x", team_id: "T1", api_app_id: "A1", type: "event_callback", event_id: "Ev-other", event_time: 1,
        event: { type: "message", channel: CHANNEL, channel_type: "channel", user: "U_ANA", text: "Ti scrivo dall'altra istanza", ts: `${Date.now() / 1000}`, thread_ts: conv.ts, client_msg_id: "m-other" } });
      const r = await fetch(`http://127.0.0.1:${(s2.address() as AddressInfo).port}/slack/events`, { method: "POST", headers: slackHeaders(SECRET, body, "application/json"), body });
      expect(r.status).toBe(200);
      const transcript = await app.store.listMessages(conv.id);
      expect(transcript.filter((m) => m.sender === "operator").map((m) => m.text)).toContain("Ti scrivo dall'altra istanza");
    } finally {
      await other.stop();
      s2.closeAllConnections();
      await new Promise<void>((r) => s2.close(() => r()));
    }
  });

  it("ignores the bot's own messages and other channels", async () => {
    const before = (await app.store.listMessages(conv.id)).length;
    await postEvent({ type: "message", channel: CHANNEL, user: "U_ANA", bot_id: "B_BOT", text: "echo", ts: "1.1", thread_ts: conv.ts });
    await postEvent({ type: "message", channel: "C_OTHER", user: "U_ANA", text: "altrove", ts: "1.2", thread_ts: conv.ts });
    expect((await app.store.listMessages(conv.id)).length).toBe(before);
  });

  it("Give back to bot and Close act on the conversation", async () => {
    await clickButton("U_ANA", ACTION_RELEASE, conv.id, conv.ts);
    expect((await app.store.getConversation(conv.id))!.state).toBe("bot");
    const other = await waitingConversation("Vorrei parlare con qualcuno per l'affitto");
    await clickButton("U_ANA", ACTION_CLOSE, other.id, other.ts);
    const c = (await app.store.getConversation(other.id))!;
    expect(c.state).toBe("closed");
    expect(c.outcome).toBe("closed from Slack");
  });

  it("refuses a bad or stale signature with 401", async () => {
    const body = JSON.stringify({ type: "event_callback", event: { type: "message", channel: CHANNEL, user: "U_ANA", text: "x", ts: "2.1", thread_ts: "1" } });
    const bad = await fetch(url, { method: "POST", headers: slackHeaders("wrong-secret", body, "application/json"), body });
    expect(bad.status).toBe(401);
    const stale = await fetch(url, { method: "POST", headers: slackHeaders(SECRET, body, "application/json", Math.floor(Date.now() / 1000) - 600), body });
    expect(stale.status).toBe(401);
    const none = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(none.status).toBe(401);
  });

  it("answers Slack's URL verification", async () => {
    const body = JSON.stringify({ type: "url_verification", challenge: "abc123", token: "x" });
    const r = await fetch(url, { method: "POST", headers: slackHeaders(SECRET, body, "application/json"), body });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain("abc123");
  });
});

describe("Slack thread links", () => {
  it("are erased with the conversation", async () => {
    const c = await waitingConversation("Cerco un corso di italiano");
    expect(await app.store.getSlackThread({ conversationId: c.id })).toMatchObject({ ts: c.ts, state: "waiting_for_operator" });
    await app.store.deleteConversation(c.id);
    expect(await app.store.getSlackThread({ conversationId: c.id })).toBeUndefined();
    expect(await app.store.getSlackThread({ ts: c.ts })).toBeUndefined();
  });
});

describe("Slack text", () => {
  it("turns Slack markup into plain text for the person", () => {
    expect(fromSlackText("Chiama <tel:+390288|02 88> o scrivi a <mailto:a@b.it|a@b.it> &lt;3 <@U1>")).toBe("Chiama 02 88 o scrivi a a@b.it <3");
    expect(fromSlackText("<https://x.it>")).toBe("https://x.it");
  });

  it("redacts and shortens the queue summary", () => {
    expect(summarize("chiamami al 333 1234567 oppure a mario@example.com")).toBe("chiamami al [phone] oppure a [email]");
    const s = summarize("parola ".repeat(100));
    expect([...s].length).toBeLessThanOrEqual(200);
    expect(s.endsWith("…")).toBe(true);
  });
});
