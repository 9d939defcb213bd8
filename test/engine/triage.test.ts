import { describe, it, expect } from "vitest";
import { triage } from "../../src/engine/triage.js";

describe("triage: danger is recognised before anything else", () => {
  it.each([
    ["Mio marito mi picchia e ho paura", "violence"],
    ["My husband beats me", "violence"],
    ["زوجي يضربني كل يوم", "violence"],
    ["Mon mari me frappe", "violence"],
    ["Voglio farla finita, non voglio più vivere", "suicide"],
    ["I want to kill myself", "suicide"],
    ["Хочу покінчити з собою", "suicide"],
    ["Ho 15 anni e sono da solo alla stazione", "minor_at_risk"],
    ["عمري ١٦ سنة، جئت إلى إيطاليا وحدي", "minor_at_risk"],
    ["Il mio datore di lavoro tiene il mio passaporto", "trafficking"],
    ["Mon patron garde mon passeport et ne me paie pas depuis trois mois", "trafficking"],
    ["Non ho un posto dove dormire stanotte con i miei bambini", "no_shelter"],
    ["I'm sleeping in my car", "no_shelter"],
    ["我今晚没有地方睡", "no_shelter"],
    ["Dorm pe stradă și îmi este foarte frig", "cold"],
    ["Mio padre non respira più!", "medical"],
    ["Mio padre esce dall'ospedale venerdì e non può stare da solo", "urgent_care"],
  ])("%s -> %s", (text, kind) => {
    const t = triage(text);
    expect(t.urgent).toBe(true);
    expect(t.kinds).toContain(kind);
  });

  it.each([
    "Abito a Corsico. C'è un centro antiviolenza?",
    "Come faccio a fare domanda per una casa popolare?",
    "Fa freddo oggi, dove trovo una biblioteca?",
    "I feel a bit lonely since I moved here",
    "Mio figlio ha 16 anni e ha lasciato la scuola",
  ])("does not flag: %s", (text) => {
    expect(triage(text).urgent).toBe(false);
  });
});
