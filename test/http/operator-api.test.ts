import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { realEngine, testConfig } from "../helpers.js";

let running: RunningServer;
let app: App;
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-opapi-")) });
  app = assemble(testConfig(), kb, engine, store);
  const hash = await hashPassword(PASSWORD);
  await store.createOperator({ username: "ana", passwordHash: hash, languages: ["it", "ar"], role: "operator" });
  await store.createOperator({ username: "root", passwordHash: hash, languages: ["it"], role: "admin" });
  running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
});

afterAll(async () => {
  running.server.closeAllConnections();
  await running.close();
  await app.store.close();
});

const url = (p: string) => `${running.url}${p}`;

async function login(username: string, password = PASSWORD) {
  const r = await fetch(url("/api/operator/login"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!;
  const body = (await r.json()) as { csrfToken?: string; error?: { code: string } };
  return { status: r.status, cookie, csrf: body.csrfToken ?? "", setCookie: r.headers.get("set-cookie") ?? "", body };
}

async function personAsksForHuman() {
  const s = (await (await fetch(url("/api/webchat/sessions"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { sessionId: string; token: string };
  await fetch(url(`/api/webchat/sessions/${s.sessionId}/messages`), {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text: "voglio parlare con un operatore" }),
  });
  return s;
}

describe("operator API", () => {
  it("nobody reads a conversation without logging in", async () => {
    const s = await personAsksForHuman();
    expect((await fetch(url("/api/operator/queue"))).status).toBe(401);
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}`))).status).toBe(401);
  });

  it("sets an httpOnly, SameSite session cookie and refuses a wrong password", async () => {
    const bad = await login("ana", "wrong password");
    expect(bad.status).toBe(401);
    expect(bad.body.error?.code).toBe("invalid_credentials");
    const unknown = await login("nobody");
    expect(unknown.status).toBe(401);
    const ok = await login("ana");
    expect(ok.status).toBe(200);
    expect(ok.setCookie).toMatch(/HttpOnly/i);
    expect(ok.setCookie).toMatch(/SameSite=Strict/i);
    expect(ok.csrf.length).toBeGreaterThan(20);
  });

  it("requires the CSRF token on every change", async () => {
    const s = await personAsksForHuman();
    const { cookie, csrf } = await login("ana");
    const noCsrf = await fetch(url(`/api/operator/conversations/${s.sessionId}/claim`), { method: "POST", headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const ok = await fetch(url(`/api/operator/conversations/${s.sessionId}/claim`), { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
    expect(ok.status).toBe(200);
  });

  it("queue, claim, reply reaching the person live, note, release, close — over HTTP", async () => {
    const s = await personAsksForHuman();
    const live = new WebSocket(`${running.url.replace("http", "ws")}/ws/webchat?session=${s.sessionId}&token=${s.token}`);
    const received: { type: string; message?: { from: string; text: string } }[] = [];
    live.on("message", (d) => received.push(JSON.parse(String(d))));
    await new Promise((r) => live.once("open", r));

    const { cookie, csrf } = await login("ana");
    const h = { cookie, "x-csrf-token": csrf, "content-type": "application/json" };
    const queue = (await (await fetch(url("/api/operator/queue"), { headers: { cookie } })).json()) as { items: { conversationId: string; lang: string }[] };
    expect(queue.items.some((i) => i.conversationId === s.sessionId)).toBe(true);
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/claim`), { method: "POST", headers: h })).status).toBe(200);
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/messages`), { method: "POST", headers: h, body: JSON.stringify({ text: "Buongiorno, sono Ana" }) })).status).toBe(200);
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/notes`), { method: "POST", headers: h, body: JSON.stringify({ text: "solo per noi" }) })).status).toBe(200);
    const bad = await fetch(url(`/api/operator/conversations/${s.sessionId}/messages`), { method: "POST", headers: h, body: JSON.stringify({ text: "" }) });
    expect(bad.status).toBe(400);

    await expect.poll(() => received.filter((e) => e.type === "message").map((e) => e.message!.text).join("|")).toContain("Buongiorno, sono Ana");
    expect(received.some((e) => e.message?.text === "solo per noi")).toBe(false);

    const view = (await (await fetch(url(`/api/operator/conversations/${s.sessionId}`), { headers: { cookie } })).json()) as { transcript: { from: string; text: string }[]; notes: { text: string }[] };
    expect(view.transcript.some((m) => m.from === "user")).toBe(true);
    expect(view.notes.map((n) => n.text)).toEqual(["solo per noi"]);

    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/release`), { method: "POST", headers: h })).status).toBe(200);
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/close`), { method: "POST", headers: h, body: JSON.stringify({ outcome: "done" }) })).status).toBe(409);
    live.close();
  });

  it("lets only admins read the audit log", async () => {
    const s = await personAsksForHuman();
    const ana = await login("ana");
    expect((await fetch(url(`/api/operator/conversations/${s.sessionId}/audit`), { headers: { cookie: ana.cookie } })).status).toBe(403);
    const root = await login("root");
    await fetch(url(`/api/operator/conversations/${s.sessionId}`), { headers: { cookie: root.cookie } });
    const audit = (await (await fetch(url(`/api/operator/conversations/${s.sessionId}/audit`), { headers: { cookie: root.cookie } })).json()) as { audit: { action: string }[] };
    expect(audit.audit.map((a) => a.action)).toContain("open");
  });

  it("refuses the live operator feed without a session", async () => {
    const ws = new WebSocket(`${running.url.replace("http", "ws")}/ws/operator`);
    const code = await new Promise<number>((resolve) => ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
    expect(code).toBe(401);
  });
});
