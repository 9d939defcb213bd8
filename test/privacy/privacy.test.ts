import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/store.js";
import { redactText } from "../../src/privacy/redact.js";
import { createLogger } from "../../src/log.js";
import { Writable } from "node:stream";

describe("redaction", () => {
  it.each([
    ["chiamami al 333 123 4567", "[phone]"],
    ["+39 02 1234 5678", "[phone]"],
    ["scrivi a maria.rossi@example.com", "[email]"],
    ["il mio codice fiscale è RSSMRA85T10A562S", "[codice-fiscale]"],
    ["IBAN IT60 X054 2811 1010 0000 0123 456", "[iban]"],
    ["passaporto YA1234567", "[document]"],
    ["carta d'identità CA12345BB", "[document]"],
  ])("removes identifiers: %s", (text, label) => {
    const out = redactText(text);
    expect(out).toContain(label);
    expect(out).not.toMatch(/\d{5,}/);
  });

  it("keeps ordinary text and short service numbers", () => {
    expect(redactText("chiama il 112 o lo 020202")).toBe("chiama il 112 o lo 020202");
  });

  it("never lets them reach the logs", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger("info", sink);
    log.info("user wrote maria.rossi@example.com and 333 1234567");
    log.info({ token: "secret-token" }, "login");
    const out = lines.join("");
    expect(out).toContain("[email]");
    expect(out).not.toMatch(/maria\.rossi|333 1234567|secret-token/);
  });
});

describe("retention", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-retention-")) });
  });
  afterAll(async () => {
    await store.close();
  });

  it("deletes conversations older than the retention period and keeps the others", async () => {
    const old = await store.createConversation({ channel: "webchat" });
    await store.saveTurn(old, [{ sender: "user", kind: "text", text: "vecchio" }]);
    const fresh = await store.createConversation({ channel: "webchat" });
    const n = await store.deleteOlderThan(new Date(Date.now() + 1000));
    expect(n).toBeGreaterThanOrEqual(2);
    expect(await store.getConversation(old.id)).toBeUndefined();
    const kept = await store.createConversation({ channel: "webchat" });
    expect(await store.deleteOlderThan(new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await store.getConversation(kept.id)).toBeDefined();
    void fresh;
  });
});
