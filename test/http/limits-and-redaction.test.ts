import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { Engine } from "../../src/engine/engine.js";
import { HybridIndex } from "../../src/knowledge/search/index.js";
import { HashNgramEmbeddings } from "../../src/knowledge/search/embedder.js";
import { realEngine, testConfig } from "../helpers.js";

let running: RunningServer;
let app: App;

beforeAll(async () => {
  const config = testConfig({ RATE_LIMIT_CONVERSATION_PER_MINUTE: "5", REDACT_TRANSCRIPTS: "true" });
  const { kb } = await realEngine();
  const index = await HybridIndex.open(kb, new HashNgramEmbeddings(), join(config.dataDir, "index"));
  const engine = new Engine({ kb, index, retentionDays: 30, redactTranscripts: config.redactTranscripts });
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-limits-")) });
  app = assemble(config, kb, engine, store);
  running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
});

afterAll(async () => {
  running.server.closeAllConnections();
  await running.close();
  await app.store.close();
});

async function session() {
  const r = await fetch(`${running.url}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  return (await r.json()) as { sessionId: string; token: string };
}
const post = (s: { sessionId: string; token: string }, text: string) =>
  fetch(`${running.url}/api/webchat/sessions/${s.sessionId}/messages`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text }),
  });

describe("limits and redaction", () => {
  it("stops a conversation that sends too many messages a minute, without touching the others", async () => {
    const a = await session();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(a, `messaggio ${i}: cerco lavoro`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const b = await session();
    expect((await post(b, "cerco un corso di italiano")).status).toBe(200);
  });

  it("stores the person's messages with identifiers masked when REDACT_TRANSCRIPTS is on", async () => {
    const s = await session();
    expect((await post(s, "il mio numero è 333 1234567 e la mail mario.rossi@example.com, cf RSSMRA85T10A562S")).status).toBe(200);
    const t = (await (await fetch(`${running.url}/api/webchat/sessions/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: { from: string; text: string }[] };
    const stored = t.messages.find((m) => m.from === "user")!.text;
    expect(stored).toContain("[phone]");
    expect(stored).toContain("[email]");
    expect(stored).toContain("[codice-fiscale]");
    expect(stored).not.toMatch(/333|mario\.rossi|RSSMRA/);
  });
});
