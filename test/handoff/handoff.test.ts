import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Operator } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import type { Inbound } from "../../src/engine/messages.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { realEngine, testConfig } from "../helpers.js";

let app: App;
let ana: Operator;
let bo: Operator;

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-handoff-")) });
  app = assemble(testConfig(), kb, engine, store);
  const hash = await hashPassword("a long enough password");
  ana = await store.createOperator({ username: "ana", passwordHash: hash, languages: ["it", "ar"], role: "operator" });
  bo = await store.createOperator({ username: "bo", passwordHash: hash, languages: ["en"], role: "operator" });
});

afterAll(async () => {
  await app.store.close();
});

async function person(first = "Ciao, vorrei parlare con un operatore") {
  const c = await app.store.createConversation({ channel: "webchat" });
  const r = await app.inbox.receive(c.id, { kind: "text", text: first });
  return { id: c.id, r };
}

describe("handoff", () => {
  it("a person who asks for a human is told their place in the queue", async () => {
    const { id, r } = await person();
    expect(r.handoff).toBe(true);
    expect(r.messages.map((m) => m.text).join(" ")).toMatch(/numero \d+ in coda|non sono in servizio/);
    expect((await app.store.getConversation(id))?.state).toBe("waiting_for_operator");
    expect((await app.handoff.queue(ana)).some((q) => q.conversationId === id)).toBe(true);
  });

  it("orders the queue urgent first, then conversations in the operator's languages", async () => {
    const urgent = await person("Mio marito mi picchia, ho paura");
    const arabic = await person("أريد التحدث مع موظف من فضلك");
    const cara = { ...ana, id: "cara", languages: ["ar"] };
    const qCara = await app.handoff.queue(cara);
    expect(qCara[0]!.conversationId).toBe(urgent.id);
    const first = qCara.find((q) => !q.urgent)!;
    expect(first.conversationId).toBe(arabic.id);
    expect(first.speaksLanguage).toBe(true);
    const qBo = await app.handoff.queue(bo);
    expect(qBo.find((q) => !q.urgent)!.conversationId).not.toBe(arabic.id);
  });

  it.each<[string, Inbound]>([
    ["text", { kind: "text", text: "non ho dove dormire stanotte" }],
    ["button", { kind: "choice", value: "fb:up" }],
    ["location", { kind: "location", lat: 45.46, lon: 9.19 }],
    ["file", { kind: "file", name: "doc.pdf" }],
    ["command", { kind: "command", command: "start" }],
    ["human", { kind: "command", command: "human" }],
  ])("sends zero bot messages after a claim, whatever the person sends (%s)", async (_k, inbound) => {
    const { id } = await person();
    await app.handoff.claim(id, ana);
    const before = (await app.store.listMessages(id)).length;
    const r = await app.inbox.receive(id, inbound);
    expect(r.messages).toEqual([]);
    const after = await app.store.listMessages(id);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.sender).toBe("user");
  });

  it("lets the holder reply and note, gives back to the bot, and the bot answers again", async () => {
    const { id } = await person();
    const events: string[] = [];
    const off = app.bus.on("message", (e) => e.conversationId === id && events.push(`${e.message.sender}:${e.message.text.slice(0, 20)}`));
    await app.handoff.claim(id, ana);
    await expect(app.handoff.reply(id, bo, "hi")).rejects.toMatchObject({ code: "forbidden" });
    await expect(app.handoff.claim(id, bo)).rejects.toMatchObject({ code: "conflict" });
    await app.handoff.reply(id, ana, "Buongiorno, sono Ana. Come posso aiutarla?");
    await app.handoff.note(id, ana, "internal: seems to need housing");
    await app.handoff.sendService(id, ana, "casa-jannacci");
    const view = await app.handoff.view(id, ana);
    expect(view.transcript.map((m) => m.from)).toContain("operator");
    expect(view.notes).toHaveLength(1);
    expect(view.transcript.some((m) => m.text.includes("internal: seems"))).toBe(false);
    await app.handoff.release(id, ana);
    const r = await app.inbox.receive(id, { kind: "text", text: "dove posso fare una doccia?" });
    expect(r.messages.length).toBeGreaterThan(0);
    expect(r.messages[0]!.from).toBe("bot");
    off();
    expect(events.some((e) => e.startsWith("operator:Buongiorno"))).toBe(true);
    expect(events.some((e) => e.startsWith("system:"))).toBe(true);
    const audit = await app.store.listAudit(id);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["claim", "open", "reply", "release"]));
  });

  it("closes with an outcome and transfers between operators", async () => {
    const { id } = await person();
    await app.handoff.claim(id, ana);
    await app.handoff.transfer(id, ana, bo.id);
    expect((await app.store.getConversation(id))?.operatorId).toBe(bo.id);
    await expect(app.handoff.reply(id, ana, "x")).rejects.toMatchObject({ code: "forbidden" });
    const closed = await app.handoff.close(id, bo, "sent to Casa Jannacci");
    expect(closed.state).toBe("closed");
    expect(closed.outcome).toBe("sent to Casa Jannacci");
  });

  it("returns a claim to the queue when the operator goes away, losing nothing", async () => {
    const { id } = await person();
    await app.handoff.claim(id, ana);
    expect(await app.handoff.requeueStale(60_000, new Date(Date.now() + 120_000))).toBeGreaterThanOrEqual(1);
    const c = await app.store.getConversation(id);
    expect(c?.state).toBe("waiting_for_operator");
    expect(c?.operatorId).toBeNull();
  });
});
