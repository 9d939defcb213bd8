import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { realEngine, testConfig } from "../helpers.js";

let running: RunningServer;
let base: string;
let app: App;

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-metrics-")) });
  app = assemble(testConfig(), kb, engine, store);
  running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
  base = running.url;
});

afterAll(async () => {
  running.server.closeAllConnections();
  await running.close();
  await app.store.close();
});

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const r = await fetch(`${base}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.text();
}

describe("GET /metrics", () => {
  it("counts a web chat message, its turn, the handoff, the queue and the wait", async () => {
    const s = (await (await fetch(`${base}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { sessionId: string; token: string };
    const headers = { "content-type": "application/json", authorization: `Bearer ${s.token}` };
    // Urgent (no shelter tonight): answered at once and queued for an operator.
    const r = await fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, { method: "POST", headers, body: JSON.stringify({ text: "non ho dove dormire stanotte" }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { handoff: boolean }).handoff).toBe(true);

    let text = await scrape();
    expect(sample(text, 'orienta_messages_total{channel="webchat",direction="in"}')).toBeGreaterThan(0);
    expect(sample(text, 'orienta_messages_total{channel="webchat",direction="out"}')).toBeGreaterThan(0);
    expect(sample(text, "orienta_turn_seconds_count")).toBeGreaterThan(0);
    expect(sample(text, 'orienta_webchat_message_seconds_count{status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'orienta_handoffs_total{urgent="true"}')).toBeGreaterThan(0);
    expect(sample(text, "orienta_queue_length")).toBeGreaterThan(0);
    expect(sample(text, 'orienta_errors_total{source="http"}')).toBe(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);

    // Erasure takes the conversation out of the queue: its waiting time is observed.
    expect((await fetch(`${base}/api/webchat/sessions/${s.sessionId}`, { method: "DELETE", headers })).status).toBe(200);
    text = await scrape();
    expect(sample(text, "orienta_queue_wait_seconds_count")).toBe(1);
    expect(sample(text, "orienta_queue_length")).toBe(0);
    // Nothing about the person: no conversation id, no token, no text.
    expect(text).not.toContain(s.sessionId);
    expect(text).not.toContain(s.token);
    expect(text).not.toMatch(/dormire/);
  });
});
