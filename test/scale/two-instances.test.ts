import { describe, it, expect, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { openStore } from "../../src/store/store.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { copyIndexCache, realEngine } from "../helpers.js";
import { freePort } from "../../src/cli/free-port.js";

/**
 * Two server instances on one PostgreSQL (runs when TEST_DATABASE_URL is set, as in .ci/run): a person chats on A,
 * an operator claims and replies on B, the person receives the reply live on A; B is killed and A carries on.
 */
const url = process.env.TEST_DATABASE_URL;
const children: ChildProcess[] = [];


async function instance(): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "orienta-instance-"));
  copyIndexCache(dataDir);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, child };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("instance did not start");
}

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

async function login(base: string, username: string, password: string) {
  const r = await fetch(`${base}/api/operator/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  expect(r.status).toBe(200);
  return { cookie: (r.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

describe.skipIf(!url)("two instances on one PostgreSQL", () => {
  it("relays an operator's reply from B to the person on A, and A carries on when B dies", async () => {
    await realEngine(); // the shared index cache, copied to each instance
    const username = `op${Date.now()}`;
    const password = "a long enough password";
    const store = await openStore({ databaseUrl: url });
    await store.createOperator({ username, passwordHash: await hashPassword(password), languages: ["it"], role: "operator" });
    await store.close();

    const [a, b] = await Promise.all([instance(), instance()]);
    const s = (await (await fetch(`${a.base}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { sessionId: string; token: string };
    const live = new WebSocket(`${a.base.replace("http", "ws")}/ws/webchat?session=${s.sessionId}&token=${s.token}`);
    const received: string[] = [];
    live.on("message", (d) => {
      const e = JSON.parse(String(d)) as { type: string; message?: { from: string; text: string } };
      if (e.type === "message" && e.message?.from === "operator") received.push(e.message.text);
    });
    await new Promise((r) => live.once("open", r));
    const say = (base: string, text: string) => fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text }),
    });
    expect((await say(a.base, "vorrei parlare con un operatore")).status).toBe(200);

    const opB = await login(b.base, username, password);
    const hB = { cookie: opB.cookie, "x-csrf-token": opB.csrf, "content-type": "application/json" };
    const queue = (await (await fetch(`${b.base}/api/operator/queue`, { headers: { cookie: opB.cookie } })).json()) as { items: { conversationId: string }[] };
    expect(queue.items.map((i) => i.conversationId)).toContain(s.sessionId);
    expect((await fetch(`${b.base}/api/operator/conversations/${s.sessionId}/claim`, { method: "POST", headers: hB })).status).toBe(200);
    expect((await fetch(`${b.base}/api/operator/conversations/${s.sessionId}/messages`, { method: "POST", headers: hB, body: JSON.stringify({ text: "Ciao da B" }) })).status).toBe(200);
    await expect.poll(() => received, { timeout: 10_000 }).toContain("Ciao da B");

    // B dies; its session is in the shared database, so the operator carries on through A.
    b.child.kill("SIGKILL");
    expect((await say(a.base, "grazie, ci sei ancora?")).status).toBe(200);
    const hA = { cookie: opB.cookie, "x-csrf-token": opB.csrf, "content-type": "application/json" };
    expect((await fetch(`${a.base}/api/operator/conversations/${s.sessionId}/messages`, { method: "POST", headers: hA, body: JSON.stringify({ text: "Sì, da A" }) })).status).toBe(200);
    await expect.poll(() => received, { timeout: 10_000 }).toContain("Sì, da A");

    const t = (await (await fetch(`${a.base}/api/webchat/sessions/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: { from: string; text: string }[] };
    expect(t.messages.filter((m) => m.from === "user").map((m) => m.text)).toEqual(["vorrei parlare con un operatore", "grazie, ci sei ancora?"]);
    expect(t.messages.filter((m) => m.from === "operator").map((m) => m.text)).toEqual(["Ciao da B", "Sì, da A"]);
    live.close();
  }, 240_000);
});
