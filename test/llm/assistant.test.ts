import { describe, expect, it } from "vitest";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { LlmAssistant, extractJson, type LlmEvent } from "../../src/llm/assistant.js";
import { services } from "./fixtures.js";

/** A fake model that also records what it was sent. */
function fake(responses: string[], opts: { sleep?: number } = {}) {
  const seen: BaseMessage[][] = [];
  const model = new FakeListChatModel({
    responses,
    ...opts,
    callbacks: [{ handleChatModelStart: (_llm: unknown, messages: BaseMessage[][]) => void seen.push(...messages) }],
  });
  return { model, seen };
}

function assistant(responses: string[], opts: { sleep?: number; timeoutMs?: number } = {}) {
  const { model, seen } = fake(responses, opts);
  const events: LlmEvent[] = [];
  const llm = new LlmAssistant(model, opts.timeoutMs ?? 2000, { onEvent: (e) => events.push(e) });
  return { llm, seen, events };
}

class FailingModel extends FakeListChatModel {
  override async _generate(): Promise<ChatResult> {
    throw new Error("connection refused");
  }
}

const question = "non ho dove dormire stanotte, il mio numero è 333 1234567";

describe("LlmAssistant.rewriteAnswer", () => {
  it("returns a grounded answer, citations rendered as names, and sends the entries and the redacted question", async () => {
    const answer =
      "Puoi andare al Centro Sammartini [centro-sammartini] in via Sammartini 120, senza appuntamento: ti fanno un colloquio e ti mandano al posto giusto per dormire. " +
      "Da lì possono mandarti anche a Casa Jannacci [casa-jannacci]. Sono informazioni indicative: decide il servizio.";
    const { llm, seen, events } = assistant([answer]);
    const r = await llm.rewriteAnswer({ lang: "it", question, services });
    expect(r).toEqual({
      raw: answer,
      text: answer.replace(" [centro-sammartini]", "").replace(" [casa-jannacci]", ""),
      cited: ["centro-sammartini", "casa-jannacci"],
      prompt: "answer.v1",
    });
    expect(events).toEqual([expect.objectContaining({ use: "answer", outcome: "ok", prompt: "answer.v1" })]);
    const [system, user] = seen[0]!;
    expect(system!.text).toContain('"id": "centro-sammartini"');
    expect(system!.text).toContain('"how_to_access": "Vai in via Sammartini 120');
    expect(system!.text).toContain("Italian (Italiano)");
    expect(user!.text).toContain("non ho dove dormire stanotte");
    expect(user!.text).not.toContain("1234567");
  });

  it("falls back (undefined) on an invented phone number", async () => {
    const { llm, events } = assistant([
      "Chiama subito il Centro Sammartini [centro-sammartini] al numero 02 5555 1234: ti trovano un posto per dormire stanotte. Decide il servizio.",
    ]);
    expect(await llm.rewriteAnswer({ lang: "it", question, services })).toBeUndefined();
    expect(events[0]).toMatchObject({ outcome: "rejected", problems: [expect.objectContaining({ kind: "phone", value: "02 5555 1234" })] });
  });

  it("falls back on a cited id that is not among the given services", async () => {
    const { llm, events } = assistant([
      "Puoi andare al Centro Sammartini [centro-sammartini] oppure al dormitorio comunale [dormitorio-comunale-milano] per dormire stanotte.",
    ]);
    expect(await llm.rewriteAnswer({ lang: "it", question, services })).toBeUndefined();
    expect(events[0]!.problems).toEqual([expect.objectContaining({ kind: "unknown_citation", value: "dormitorio-comunale-milano" })]);
  });

  it("falls back on an answer in the wrong language", async () => {
    const { llm, events } = assistant([
      "You can go to Centro Sammartini [centro-sammartini] without an appointment: after an interview the staff send you to the right place to sleep.",
    ]);
    expect(await llm.rewriteAnswer({ lang: "it", question, services })).toBeUndefined();
    expect(events[0]!.problems).toEqual([expect.objectContaining({ kind: "language", value: "en" })]);
  });

  it("falls back on a time-out, without waiting for the model", async () => {
    const { llm, events } = assistant(["Centro Sammartini [centro-sammartini] ti aiuta a trovare un posto per dormire."], { sleep: 1500, timeoutMs: 100 });
    const started = Date.now();
    expect(await llm.rewriteAnswer({ lang: "it", question, services })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events[0]).toMatchObject({ outcome: "timeout" });
  });

  it("falls back on a provider error, and never throws", async () => {
    const events: LlmEvent[] = [];
    const llm = new LlmAssistant(new FailingModel({ responses: [""] }), 1000, { onEvent: (e) => events.push(e) });
    expect(await llm.rewriteAnswer({ lang: "it", question, services })).toBeUndefined();
    expect(events[0]).toMatchObject({ outcome: "error", error: "connection refused" });
    expect(await llm.understand("ciao")).toBeUndefined();
    expect(await llm.translate("ciao a tutti", "it", "en")).toBeUndefined();
  });

  it("does not call the model without services", async () => {
    const { llm, seen } = assistant(["x"]);
    expect(await llm.rewriteAnswer({ lang: "it", question, services: [] })).toBeUndefined();
    expect(seen).toEqual([]);
  });
});

describe("LlmAssistant.understand", () => {
  it("parses good JSON, with or without fences, dropping nulls", async () => {
    const { llm } = assistant([
      '{"query": "dormitorio per la notte", "facts": {"municipality": "Rozzano", "age": 34, "children": true, "isee": 8500}}',
      'Ecco:\n```json\n{"query": "pacco alimentare", "facts": {"municipality": null, "age": null}}\n```',
    ]);
    expect(await llm.understand("vivo a Rozzano, ho 34 anni e due figli, isee 8500, non so dove dormire")).toEqual({
      query: "dormitorio per la notte",
      facts: { municipality: "Rozzano", age: 34, children: true, isee: 8500 },
    });
    expect(await llm.understand("I need food")).toEqual({ query: "pacco alimentare", facts: {} });
  });

  it.each([
    ["not JSON", "The person needs a bed."],
    ["broken JSON", '{"query": "dormitorio", "facts": {'],
    ["no query", '{"facts": {"age": 30}}'],
    ["a wrong type", '{"query": "dormitorio", "facts": {"age": "thirty"}}'],
    ["an impossible age", '{"query": "dormitorio", "facts": {"age": 300}}'],
  ])("rejects %s", async (_, reply) => {
    const { llm, events } = assistant([reply]);
    expect(await llm.understand("non so dove dormire")).toBeUndefined();
    expect(events[0]).toMatchObject({ use: "understand", outcome: "invalid" });
  });

  it("extractJson finds the object in a chatty reply", () => {
    expect(extractJson('Sure! {"a": 1} Hope it helps')).toEqual({ a: 1 });
    expect(() => extractJson("nothing")).toThrow();
  });
});

describe("LlmAssistant.translate", () => {
  it("round-trips it -> en -> it with the expected strings and language names", async () => {
    const it1 = "Buongiorno, domani alle 10:00 può venire in via Sammartini 120 senza appuntamento.";
    const en1 = "Good morning, tomorrow at 10:00 you can come to via Sammartini 120 without an appointment.";
    const { llm, seen } = assistant([en1, it1]);
    const en = await llm.translate(it1, "it", "en");
    expect(en).toBe(en1);
    expect(await llm.translate(en!, "en", "it")).toBe(it1);
    expect(seen[0]![0]!.text).toContain('from Italian (Italiano) ("it") into English ("en")');
    expect(seen[0]![1]!.text).toBe(it1);
    expect(seen[1]![0]!.text).toContain('from English ("en") into Italian (Italiano) ("it")');
  });

  it("does not call the model between the same language", async () => {
    const { llm, seen } = assistant(["x"]);
    expect(await llm.translate("Buongiorno", "it", "it")).toBe("Buongiorno");
    expect(seen).toEqual([]);
  });

  it("strips quotes the model added, and falls back when a number is lost", async () => {
    const { llm, events } = assistant(['"Good morning, come tomorrow morning without an appointment."', "Good morning, call us tomorrow, we will explain everything."]);
    expect(await llm.translate("Buongiorno, venga domani mattina senza appuntamento.", "it", "en")).toBe("Good morning, come tomorrow morning without an appointment.");
    expect(await llm.translate("Buongiorno, ci chiami domani allo 02 88447646, le spieghiamo tutto.", "it", "en")).toBeUndefined();
    expect(events[1]).toMatchObject({ outcome: "rejected", problems: [expect.objectContaining({ kind: "phone" })] });
  });
});
