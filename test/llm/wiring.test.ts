import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { openStore, type Operator } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { Engine, type EngineOptions } from "../../src/engine/engine.js";
import { LlmAssistant, type LlmEvent } from "../../src/llm/assistant.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { realEngine, testConfig } from "../helpers.js";

/** Answers from the first entry it is given (so it is always grounded), translates with a fixed sentence. */
class ScriptedModel extends FakeListChatModel {
  calls: string[] = [];
  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const system = messages[0]!.text;
    let text: string;
    if (system.includes("You translate messages")) {
      this.calls.push("translate");
      text = "Buongiorno, domani mattina può venire senza appuntamento.";
    } else {
      this.calls.push("answer");
      const entries = JSON.parse(system.slice(system.indexOf("\n[", system.indexOf("Knowledge entries")), system.lastIndexOf("]") + 1)) as { id: string; name: string }[];
      text = `Puoi rivolgerti a ${entries[0]!.name} [${entries[0]!.id}]: lì ti spiegano cosa fare e come. Sono informazioni indicative, decide l'ufficio.`;
    }
    return { generations: [{ message: new AIMessage(text), text }] };
  }
}

let plain: App;
let withLlm: App;
let model: ScriptedModel;
let bo: Operator;
const events: LlmEvent[] = [];

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  model = new ScriptedModel({ responses: [""] });
  const llm = new LlmAssistant(model, 2000, { onEvent: (e) => events.push(e) });
  const options = (engine as unknown as { o: EngineOptions }).o;
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-llm-")) });
  plain = assemble(testConfig(), kb, engine, store);
  withLlm = assemble(testConfig(), kb, new Engine({ ...options, llm }), store);
  bo = await store.createOperator({ username: "bo-llm", passwordHash: await hashPassword("a long enough password"), languages: ["en"], role: "operator" });
});

afterAll(async () => {
  await plain.store.close();
});

async function ask(app: App, text: string) {
  const c = await app.store.createConversation({ channel: "webchat" });
  return { id: c.id, r: await app.inbox.receive(c.id, { kind: "text", text }) };
}

describe("the optional LLM in the engine and the handoff", () => {
  it("puts a checked LLM answer first, with the same cards and services below", async () => {
    const q = "mi serve un corso di italiano gratuito per adulti";
    const a = await ask(plain, q);
    const b = await ask(withLlm, q);
    expect(b.r.services).toEqual(a.r.services);
    const aTexts = a.r.messages.map((m) => m.text);
    const bTexts = b.r.messages.map((m) => m.text);
    // Only the template intro (after the greeting) is replaced; the cards and the follow-up are the same.
    const changed = bTexts.map((t, i) => (t === aTexts[i] ? -1 : i)).filter((i) => i >= 0);
    expect(bTexts.length).toBe(aTexts.length);
    expect(events.filter((e) => e.use === "answer")).toEqual([expect.objectContaining({ outcome: "ok" })]);
    expect(changed).toHaveLength(1);
    const llmText = bTexts[changed[0]!]!;
    expect(llmText.startsWith(`Puoi rivolgerti a ${a.r.services[0]!.name}: `)).toBe(true);
    expect(llmText).not.toContain("[");
  });

  it("never calls the LLM on an urgent turn", async () => {
    const before = model.calls.length;
    const { r } = await ask(withLlm, "mio marito mi picchia, ho paura");
    expect(r.urgent).toBe(true);
    expect(model.calls.length).toBe(before);
  });

  it("translates an operator's reply into the person's language and keeps the original", async () => {
    const { id } = await ask(withLlm, "vorrei parlare con un operatore per favore");
    await withLlm.handoff.claim(id, bo);
    const m = await withLlm.handoff.reply(id, bo, "Good morning, you can come tomorrow morning without an appointment.");
    expect(m.text).toBe("Buongiorno, domani mattina può venire senza appuntamento.");
    expect(m.payload).toMatchObject({ original: "Good morning, you can come tomorrow morning without an appointment.", originalLang: "en" });
    const view = await withLlm.handoff.view(id, bo);
    expect(view.transcript.at(-1)).toMatchObject({ text: m.text, original: "Good morning, you can come tomorrow morning without an appointment." });
  });
});
