import { describe, expect, it } from "vitest";
import { amountValue, checkAnswer, checkTranslation, citedIds, findDetails, renderCitations } from "../../src/llm/guardrails.js";
import { jannacci, sammartini, services } from "./fixtures.js";

const it_ = (answer: string) => checkAnswer(answer, { lang: "it", services });
const en = (answer: string) => checkAnswer(answer, { lang: "en", services });
const kinds = (r: { problems: { kind: string }[] }) => r.problems.map((p) => p.kind);

describe("checkAnswer", () => {
  it("accepts a grounded answer", () => {
    const r = it_(
      "Puoi andare al Centro Sammartini [centro-sammartini] in via Sammartini 120, senza appuntamento, dalle 09:00 alle 13:00. " +
        "Per segnalare una persona senza dimora chiama lo 02 88447646. Casa Jannacci [casa-jannacci] è in viale Ortles, 69 e si entra su invio dei servizi sociali. " +
        "Sono informazioni indicative: decide l'ufficio.",
    );
    expect(r).toEqual({ ok: true, problems: [] });
  });

  it("catches an invented phone number, however it is written", () => {
    const r = it_("Chiama il Centro Sammartini [centro-sammartini] al numero +39 02 1234 5678 per avere un posto letto stanotte.");
    expect(kinds(r)).toEqual(["phone"]);
    expect(r.problems[0]!.value).toBe("+39 02 1234 5678");
    expect(it_("Chiama il numero 1522 oppure vai al Centro Sammartini [centro-sammartini] per un colloquio.").problems.map((p) => p.value)).toEqual(["1522"]);
  });

  it("accepts a phone number of the entry written another way", () => {
    expect(it_("Per segnalare una persona senza dimora chiama il Centro Sammartini [centro-sammartini] allo +39 0288447646, a qualsiasi ora.").ok).toBe(true);
  });

  it("catches an address, a link, an e-mail, an amount and a time that are not in the cited entries", () => {
    const r = it_(
      "Vai al Centro Sammartini [centro-sammartini] in via Roma 5, scrivi a info@sammartini.org o guarda www.sammartini.org: " +
        "costa 3 euro e apre alle 08:30 ogni giorno della settimana.",
    );
    expect(kinds(r).sort()).toEqual(["address", "amount", "email", "time", "url"]);
  });

  it("accepts details taken from the cited entries", () => {
    const r = it_(
      "Casa Jannacci [casa-jannacci] è in viale Ortles 69: può essere chiesto un contributo di 2,50 euro a notte. " +
        "Scrivi a accoglienza.jannacci@comune.milano.it o guarda comune.milano.it/servizi/casa-jannacci per sapere di più.",
    );
    expect(r).toEqual({ ok: true, problems: [] });
  });

  it("takes details only from the entries the answer cites", () => {
    // The address belongs to Casa Jannacci, but only Centro Sammartini is cited.
    const r = it_("Il Centro Sammartini [centro-sammartini] ti manda a dormire nella casa di viale Ortles 69 se serve un letto.");
    expect(kinds(r)).toEqual(["address"]);
  });

  it("catches a cited id that is not among the given services, and an answer citing none", () => {
    const r = it_("Prova il Centro Sammartini [centro-sammartini] oppure il dormitorio comunale [dormitorio-viale-ortles] per stanotte.");
    expect(r.problems).toEqual([expect.objectContaining({ kind: "unknown_citation", value: "dormitorio-viale-ortles" })]);
    expect(kinds(it_("Vai al Centro Sammartini vicino alla Stazione Centrale, senza appuntamento: è gratis."))).toEqual(["no_citation"]);
  });

  it("catches an answer in another language than the person's", () => {
    const r = en("Puoi andare al Centro Sammartini [centro-sammartini] senza appuntamento: ti fanno un colloquio e ti mandano al posto giusto per dormire.");
    expect(r.problems).toEqual([expect.objectContaining({ kind: "language", value: "it" })]);
    const ok = en("You can go to Centro Sammartini [centro-sammartini] without an appointment: after an interview the staff send you to the right place to sleep.");
    expect(ok.ok).toBe(true);
  });

  it("allows short texts, whose language cannot be told", () => {
    expect(en("Centro Sammartini [centro-sammartini]: ok.").ok).toBe(true);
  });

  it("does not mistake an Italian course for an address", () => {
    expect(findDetails("Il corso di italiano dura 2 mesi, il corso base 3 settimane.").addresses).toEqual([]);
    expect(findDetails("Vai in corso di Porta Romana 2/a o in piazza Duomo, 1.").addresses).toEqual(["corso di Porta Romana 2/a", "piazza Duomo, 1"]);
  });
});

describe("helpers", () => {
  it("reads amounts as numbers", () => {
    expect(amountValue("2,50")).toBe(2.5);
    expect(amountValue("1.500")).toBe(1500);
    expect(amountValue("12.000,50")).toBe(12000.5);
    expect(amountValue("1 500")).toBe(1500);
    expect(findDetails("€ 2.50 o 2,50 euro o 2,5€").amounts.map(amountValue)).toEqual([2.5, 2.5, 2.5]);
  });

  it("lists citations once, in order", () => {
    expect(citedIds("a [casa-jannacci] b [centro-sammartini] c [casa-jannacci] [Not An Id]")).toEqual(["casa-jannacci", "centro-sammartini"]);
  });

  it("renders citations as names for the person", () => {
    expect(renderCitations("Casa Jannacci [casa-jannacci] accoglie famiglie. Il primo passo è un colloquio [centro-sammartini].", [sammartini, jannacci])).toBe(
      "Casa Jannacci accoglie famiglie. Il primo passo è un colloquio (Centro Sammartini).",
    );
  });
});

describe("checkTranslation", () => {
  it("accepts a translation that keeps every detail", () => {
    const r = checkTranslation("Domani alle 10:00 vai in via Sammartini 120 e chiama lo 02 88447646.", "Tomorrow at 10:00 go to via Sammartini 120 and call 02 88447646.", "en");
    expect(r).toEqual({ ok: true, problems: [] });
  });

  it("catches a changed or lost number, and the wrong language", () => {
    const r = checkTranslation("Domani vai in via Sammartini 120 e chiama lo 02 88447646.", "Tomorrow go to via Sammartini 12 and call us later.", "en");
    expect(kinds(r).sort()).toEqual(["address", "address", "phone"]);
    const l = checkTranslation("Domani mattina vai al centro senza appuntamento, ti aspettano.", "Domani mattina vai al centro senza appuntamento, ti aspettano.", "en");
    expect(kinds(l)).toEqual(["language"]);
  });
});
