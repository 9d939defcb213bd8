import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import fc from "fast-check";
import { realEngine, testConfig } from "../helpers.js";

let running: RunningServer;
let base: string;
let app: App;

beforeAll(async () => {
  const config = testConfig();
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-http-")) });
  app = assemble(config, kb, engine, store);
  running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
  base = running.url;
});

afterAll(async () => {
  running.server.closeAllConnections();
  await running.close();
  await app.store.close();
});

async function session(): Promise<{ sessionId: string; token: string }> {
  const r = await fetch(`${base}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(r.status).toBe(201);
  return r.json() as Promise<{ sessionId: string; token: string }>;
}

function post(s: { sessionId: string; token: string }, body: string, token = s.token) {
  return fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body,
  });
}

describe("web chat API", () => {
  it("answers health checks", async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("answers a question with services and keeps the transcript", async () => {
    const s = await session();
    const r = await post(s, JSON.stringify({ text: "non ho dove dormire stanotte" }));
    expect(r.status).toBe(200);
    const body = (await r.json()) as { messages: { from: string; text: string; services?: { name: string }[] }[]; urgent: boolean };
    expect(body.messages[0]!.from).toBe("bot");
    expect(body.messages[0]!.text).toMatch(/assistente automatico/);
    expect(body.urgent).toBe(true);
    const names = body.messages.flatMap((m) => m.services ?? []).map((x) => x.name).join(" | ");
    expect(names).toMatch(/Sammartini|Jannacci|bassa soglia/);
    const t = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    const transcript = (await t.json()) as { messages: { from: string; text: string }[] };
    expect(transcript.messages[0]).toMatchObject({ from: "user", text: "non ho dove dormire stanotte" });
    expect(transcript.messages.length).toBe(body.messages.length + 1);
  });

  it("refuses a wrong or missing token, and an unknown session", async () => {
    const s = await session();
    expect((await post(s, JSON.stringify({ text: "ciao" }), "wrong")).status).toBe(401);
    const noAuth = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`);
    expect(noAuth.status).toBe(401);
    const unknown = await post({ sessionId: "00000000-0000-4000-8000-000000000000", token: s.token }, JSON.stringify({ text: "x" }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it.each([
    ["not JSON", "{text:", 400, "invalid_json"],
    ["empty text", JSON.stringify({ text: "" }), 400, "invalid_request"],
    ["wrong type", JSON.stringify({ text: 42 }), 400, "invalid_request"],
    ["unknown field", JSON.stringify({ text: "ciao", admin: true }), 400, "invalid_request"],
    ["too long", JSON.stringify({ text: "a".repeat(4001) }), 400, "invalid_request"],
    ["too large", JSON.stringify({ text: "a".repeat(40_000) }), 413, "too_large"],
  ])("gives a clear error for %s and loses nothing", async (_n, body, status, code) => {
    const s = await session();
    const r = await post(s, body);
    expect(r.status).toBe(status);
    const j = (await r.json()) as { error: { code: string; message: string } };
    expect(j.error.code).toBe(code);
    expect(j.error.message.length).toBeGreaterThan(3);
    const ok = await post(s, JSON.stringify({ text: "cerco un corso di italiano gratis" }));
    expect(ok.status).toBe(200);
  });

  it("keeps the order of two messages sent at once", async () => {
    const s = await session();
    await Promise.all([post(s, JSON.stringify({ text: "primo messaggio: cerco lavoro" })), post(s, JSON.stringify({ text: "secondo messaggio: corso di italiano" }))]);
    const t = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    const users = ((await t.json()) as { messages: { from: string; text: string }[] }).messages.filter((m) => m.from === "user");
    expect(users).toHaveLength(2);
  });

  it("erases a conversation on request", async () => {
    const s = await session();
    await post(s, JSON.stringify({ text: "ciao" }));
    const d = await fetch(`${base}/api/webchat/sessions/${s.sessionId}`, { method: "DELETE", headers: { authorization: `Bearer ${s.token}` } });
    expect(d.status).toBe(200);
    const after = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    expect(after.status).toBe(404);
  });

  it("serves the chat page with a strict content security policy", async () => {
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/Orienta/);
    expect(r.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
  });

  it("answers random and hostile bodies with 200 or a clear 4xx, never a crash", async () => {
    const s = await session();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string({ unit: "binary", maxLength: 300 }),
          fc.record({ text: fc.string({ unit: "grapheme", maxLength: 500 }) }).map((b) => JSON.stringify(b)),
          fc.record({ kind: fc.constantFrom("text", "choice", "location", "file", "command", "evil"), value: fc.anything() }).map((b) => JSON.stringify(b)),
        ),
        async (body) => {
          const r = await post(s, body);
          expect(r.status === 200 || (r.status >= 400 && r.status < 500), `status ${r.status} for ${body.slice(0, 80)}`).toBe(true);
          const j = (await r.json()) as { messages?: unknown[]; error?: { code: string } };
          expect(j.messages !== undefined || j.error !== undefined).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
