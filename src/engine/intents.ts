import { lightFold } from "./triage.js";

/**
 * Small, fixed intents recognised in any of the 18 languages before retrieval:
 * asking for a person, and short follow-ups about services just shown.
 */

const HUMAN = new RegExp(
  [
    "operator[ei]?", "operatrice", "persona (vera|reale|umana)", "parlare con (qualcuno|una persona|un umano)", "essere umano",
    "human", "real person", "talk to (someone|a person|somebody)", "speak to (someone|a person)", "\\bagent\\b",
    "operateur", "une (vraie )?personne", "parler a quelqu'un", "humano", "persona real", "operador", "hablar con alguien",
    "om real", "vorbesc cu cineva", "njeri", "operatori", "tao na", "makausap ang tao", "qof dhab ah", "la hadlo qof",
    "انسان", "موظف", "شخص حقیقی", "شخص حقيقي", "اپراتور", "کارمند", "سړی", "کسی انسان", "آپریٹر",
    "оператор", "живою людиною", "з людиною", "с человеком", "живой человек", "живым человеком", "с живым", "людиною",
    "آدم واقعی", "یک آدم", "با یه آدم", "با یک انسان", "شخص واقعی", "ادمی",
    "人工", "真人", "客服", "মানুষের সাথে", "অপারেটর", "මිනිසෙක්", "ක්‍රියාකරු", "ሰብ ክዛረብ", "ሰብኣዊ",
  ].map(lightFold).join("|"),
  "u",
);

const WHERE = new RegExp(
  ["\\bdove\\b", "indirizzo", "\\bwhere\\b", "address", "\\bou (est|se trouve)", "adresse", "donde", "direccion", "\\bunde\\b", "adresa",
    "\\bku (eshte|ndodhet)", "\\bsaan\\b", "xagee", "halkee", "أين", "عنوان", "کجا", "آدرس", "چیرته", "کہاں", "(^| )де( |\\?|$)", "где", "адрес",
    "在哪", "地址", "কোথায়", "ඇත්තේ කොහෙද", "කොහෙද", "ኣበይ"].map(lightFold).join("|"),
  "u",
);

const HOURS = new RegExp(
  ["orari", "a che ora", "quando (e )?aperto", "\\bhours\\b", "\\bopen\\b", "what time", "horaire", "ouvert", "horario", "abierto", "\\borar", "\\boraret",
    "\\boras\\b", "saacad", "ساعات", "ساعت", "وخت", "اوقات", "годин", "часы", "время работы", "几点", "时间", "開放", "সময়", "වේලාව", "ሰዓት"].map(lightFold).join("|"),
  "u",
);

const NEARER = new RegExp(
  ["piu vicin", "vicino a", "nearer", "closer", "near ", "plus proche", "pres de", "mas cerca", "cerca de", "mai aproape", "me afer",
    "malapit", "u dhow", "اقرب", "نزدیک", "نږدې", "قریب", "ближче", "ближе", "最近", "附近", "কাছে", "ළඟ", "ቀረባ"].map(lightFold).join("|"),
  "u",
);

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

export function asksForHuman(text: string): boolean {
  return HUMAN.test(lightFold(text));
}

export type FollowUp = "where" | "hours" | "nearer";

/** A short question about the services just shown ("and where is it?", "what are the hours?", "one nearer to Rozzano?"). */
export function followUpKind(text: string): FollowUp | undefined {
  const f = lightFold(text);
  if (words(text) > 10) return undefined;
  if (NEARER.test(f)) return "nearer";
  if (HOURS.test(f)) return "hours";
  if (WHERE.test(f) && words(text) <= 6) return "where";
  return undefined;
}
