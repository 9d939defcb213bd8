import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/store.js";

/** The same behaviour on embedded PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL. */
const backends: [string, () => Promise<Store>][] = [["pglite", () => openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-db-")) })]];
if (process.env.TEST_DATABASE_URL) backends.push(["postgres", () => openStore({ databaseUrl: process.env.TEST_DATABASE_URL })]);

describe.each(backends)("store on %s", (_name, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.close();
  });

  it("creates a conversation, saves turns in order and reads the transcript back", async () => {
    const c = await store.createConversation({ channel: "webchat", tokenHash: "h1", lang: "ar" });
    expect(c.state).toBe("bot");
    c.profile = { municipality: "rozzano", age: 30 };
    c.context = { lastServices: ["a", "b"] };
    await store.saveTurn(c, [
      { sender: "user", kind: "text", text: "مرحبا" },
      { sender: "bot", kind: "text", text: "ciao", payload: { services: [{ id: "a", name: "A" }] } },
    ]);
    const again = await store.getConversation(c.id);
    expect(again?.profile).toEqual({ municipality: "rozzano", age: 30 });
    expect(again?.context.lastServices).toEqual(["a", "b"]);
    expect(again?.lang).toBe("ar");
    const msgs = await store.listMessages(c.id);
    expect(msgs.map((m) => [m.sender, m.text])).toEqual([["user", "مرحبا"], ["bot", "ciao"]]);
    expect(msgs[1]!.payload.services).toEqual([{ id: "a", name: "A" }]);
    expect(await store.listMessages(c.id, msgs[0]!.id)).toHaveLength(1);
    expect(await store.getTokenHash(c.id)).toBe("h1");
  });

  it("finds a conversation by the platform's chat id", async () => {
    const ref = `chat-${Date.now()}`;
    const c = await store.createConversation({ channel: "telegram", externalRef: ref });
    expect((await store.findByExternalRef("telegram", ref))?.id).toBe(c.id);
    await expect(store.createConversation({ channel: "telegram", externalRef: ref })).rejects.toThrow();
  });

  it("orders the queue urgent first, then by waiting time", async () => {
    const base = Date.now() + 1_000_000;
    const a = await store.createConversation({ channel: "webchat" });
    const b = await store.createConversation({ channel: "webchat" });
    Object.assign(a, { state: "waiting_for_operator", handoffAt: new Date(base), urgent: false });
    Object.assign(b, { state: "waiting_for_operator", handoffAt: new Date(base + 1000), urgent: true });
    await store.saveTurn(a, []);
    await store.saveTurn(b, []);
    const posA = await store.queuePosition(a.id, false, a.handoffAt!);
    const posB = await store.queuePosition(b.id, true, b.handoffAt!);
    expect(posB).toBeLessThan(posA);
  });

  it("deletes a conversation with all its messages", async () => {
    const c = await store.createConversation({ channel: "webchat" });
    await store.saveTurn(c, [{ sender: "user", kind: "text", text: "secret" }]);
    expect(await store.deleteConversation(c.id)).toBe(true);
    expect(await store.getConversation(c.id)).toBeUndefined();
    expect(await store.listMessages(c.id)).toEqual([]);
    expect(await store.deleteConversation(c.id)).toBe(false);
  });

  it("keeps feedback without any link to the person", async () => {
    await expect(store.addFeedback(["casa-jannacci"], true, "it")).resolves.toBeUndefined();
  });
});
