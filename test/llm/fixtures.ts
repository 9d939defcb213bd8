import { ServiceSchema, type Service } from "../../src/knowledge/schema.js";

/**
 * Two entries shaped like the real knowledge base (trimmed), so the LLM tests need no knowledge folder.
 * Test data only: the Casa Jannacci e-mail and cost are invented to exercise the checks.
 */
export const sammartini: Service = ServiceSchema.parse({
  id: "centro-sammartini",
  name: "Centro Sammartini",
  aliases: ["Sammartini 120"],
  area: { scope: "milano", municipi: [2], municipalities: ["milano"] },
  categories: ["homelessness", "orientation"],
  text: {
    it: {
      summary: "Il punto del Comune per gli adulti che vivono in strada o non hanno una casa. Qui fai un colloquio e gli operatori ti mandano al posto giusto per dormire.",
      how_to_access: "Vai in via Sammartini 120, vicino alla Stazione Centrale, senza appuntamento. È gratis.",
      keywords: ["dormire", "senza casa", "dormitorio"],
    },
    en: {
      summary: "The City's access point for adults who live on the street or have no home. You have an interview and the staff send you to the right place to sleep.",
      how_to_access: "Go to via Sammartini 120, near Milano Centrale station, no appointment needed. It is free.",
      keywords: ["where to sleep", "homeless", "shelter"],
    },
  },
  criteria: { residence: { required: "unknown" }, legal_status: { accepted: "unknown" } },
  contacts: [
    {
      label: "Centro Sammartini",
      address: "via Sammartini 120, Milano",
      hours: [{ days: "mon-fri", from: "09:00", to: "13:00" }],
      access: ["walk_in"],
      cost: "gratuito",
      source: "s1",
    },
    { label: "Segnalazione di persone senza dimora (24 ore su 24)", phone: ["02 88447646"], hours: "always", source: "s1" },
  ],
  sources: [{ id: "s1", kind: "web", url: "https://www.comune.milano.it/servizi/centro-sammartini" }],
  last_verified: "2026-01-01",
});

export const jannacci: Service = ServiceSchema.parse({
  id: "casa-jannacci",
  name: "Casa Jannacci",
  area: { scope: "milano", municipi: [5], municipalities: ["milano"] },
  categories: ["homelessness", "housing"],
  text: {
    it: {
      summary: "La più grande casa di accoglienza del Comune per persone senza casa, aperta tutto l'anno, con letti, cena e docce.",
      how_to_access: "Si entra su invio del Centro Sammartini o dei servizi sociali. La casa è in viale Ortles 69.",
      keywords: ["dormitorio", "jannacci", "posto letto"],
    },
  },
  criteria: { residence: { required: "unknown" }, legal_status: { accepted: "unknown" } },
  contacts: [
    {
      label: "Casa dell'Accoglienza Enzo Jannacci",
      address: "viale Ortles 69, Milano",
      email: "accoglienza.jannacci@comune.milano.it",
      website: "https://www.comune.milano.it/servizi/casa-jannacci",
      cost: "contributo di 2,50 € a notte",
      access: ["referral"],
      source: "s1",
    },
  ],
  sources: [{ id: "s1", kind: "web", url: "https://www.comune.milano.it/servizi/casa-jannacci" }],
  last_verified: "2026-01-01",
});

export const services = [sammartini, jannacci];
