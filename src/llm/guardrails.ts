import type { Contact, Service } from "../knowledge/schema.js";
import type { Lang } from "../language/languages.js";
import { detectLanguage } from "../language/detect.js";

/**
 * Checks on what an LLM wrote, before anyone sees it. The rule: every concrete detail a person could act on (a phone
 * number, a street address, a web or e-mail address, an amount of money, a time of day) must be written in the
 * knowledge entries the answer cites; every cited [id] must be one of the services given to the model; and the
 * answer must be in the person's language. Anything else makes the caller keep the template answer.
 *
 * The checks are deliberately strict: a false alarm costs only the nicer wording (the template answer is always
 * correct), a missed invented phone number could send someone in danger to a wrong line.
 */

export type ProblemKind = "phone" | "address" | "url" | "email" | "amount" | "time" | "unknown_citation" | "no_citation" | "language" | "empty" | "too_long";

export interface Problem {
  kind: ProblemKind;
  /** The offending text (a number, an address, an id, a language code). */
  value: string;
  message: string;
}

export interface GuardrailResult {
  ok: boolean;
  problems: Problem[];
}

// ---------------------------------------------------------------------------------------------------------------
// What the model is given: the knowledge entries, in the person's language where translated.

export interface PromptContact {
  label?: string;
  address?: string;
  phone?: string[];
  email?: string;
  website?: string;
  hours?: string;
  hours_note?: string;
  access?: string[];
  cost?: string;
}

export interface PromptEntry {
  id: string;
  name: string;
  summary: string;
  how_to_access: string;
  contacts: PromptContact[];
}

function hoursText(c: Contact): string | undefined {
  if (c.hours === "always") return "24/7";
  return c.hours?.map((h) => `${h.days} ${h.from}-${h.to}`).join("; ");
}

export function promptContact(c: Contact): PromptContact {
  const out: PromptContact = {};
  if (c.label) out.label = c.label;
  if (c.address) out.address = c.address;
  if (c.phone?.length) out.phone = c.phone;
  if (c.email) out.email = c.email;
  if (c.website) out.website = c.website;
  const hours = hoursText(c);
  if (hours) out.hours = hours;
  if (c.hours_note) out.hours_note = c.hours_note;
  if (c.access?.length) out.access = c.access;
  if (c.cost) out.cost = c.cost;
  return out;
}

/** One knowledge entry as the model sees it (JSON in the answer prompt): id, name, summary, how_to_access, contacts. */
export function promptEntry(s: Service, lang: Lang, contacts: Contact[] = s.contacts): PromptEntry {
  const t = s.text[lang] ?? s.text.it;
  return { id: s.id, name: s.name, summary: t.summary, how_to_access: t.how_to_access, contacts: contacts.slice(0, 3).map(promptContact) };
}

/** The text an answer may take details from: the entry in the person's language and in Italian, and all contacts. */
export function groundingText(s: Service, lang: Lang): string {
  const texts = [s.text[lang], s.text.it].filter((t) => t !== undefined);
  const parts: string[] = [s.name, ...s.aliases];
  for (const t of texts) parts.push(t.summary, t.how_to_access);
  for (const c of s.contacts) {
    const p = promptContact(c);
    parts.push(...[p.label, p.address, ...(p.phone ?? []), p.email, p.website, p.hours, p.hours_note, p.cost].filter((x): x is string => Boolean(x)));
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Finding details in a text.

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}+/gu, "").replace(/[’`´]/g, "'").toLowerCase();
/** Letters and digits only, single spaces: "Viale Ortles, 69" -> "viale ortles 69". */
const words = (s: string) => fold(s).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const digits = (s: string) => s.replace(/\D+/g, "");
/** Italian numbers are written with or without +39 / 0039. */
const phoneDigits = (s: string) => digits(s).replace(/^(?:0039|39(?=\d{8,}))/, "").replace(/^\+/, "");

const CITATION = /\[([a-z0-9]+(?:-[a-z0-9]+)*)\]/g;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}/giu;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()[\]{}"]+|\b(?:[a-z0-9-]+\.)+(?:it|eu|com|org|net|gov|info|int|io)\b(?:\/[^\s<>()[\]{}"]*)?/gi;
/** Six digits or more, with the separators people use in phone numbers. */
const LONG_NUMBER = /(?<![\p{L}\p{N}])(?:\+|00)?\d(?:[ \u00a0.\-/]?\d){5,}(?![\p{N}])/gu;
/** A short number right after a word for "phone" (1522, 114, 112…). */
const PHONE_CUE = /(?:\btel\b\.?|telefono|phone|call|chiama|chiamare|numero|number|appel\w*|llam\w*|t[ée]l[ée]phone|номер|телефон|رقم|هاتف|تلفن|شماره|电话|ফোন|📞|☎️?)\s*[:：]?\s*((?:\+|00)?\d[\d \u00a0.\-]{1,4}\d)(?![\p{N}]|[ \u00a0.\-]\d)/giu;
const EURO_WORD = "(?:€|\\beuros?\\b|\\beur\\b|евро|євро|يورو|یورو|欧元|ইউরো|යුරෝ|ዩሮ)";
const NUM = "(\\d{1,3}(?:[.,' \\u00a0]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)";
const AMOUNT = new RegExp(`${EURO_WORD}\\s*${NUM}|${NUM}\\s*${EURO_WORD}`, "giu");
const TIME = /(?<![\d:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])/g;
const cap = (w: string) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`;
const STREET_KINDS = ["via", "viale", "piazza", "piazzale", "piazzetta", "corso", "largo", "vicolo", "strada", "alzaia", "ripa", "bastioni", "galleria", "passaggio", "foro", "borgo"];
const LINK = "(?:di|de|del|dello|della|dei|degli|delle|d'|e|san|santa|sant')";
/** "via Sammartini 120", "viale Ortles, 69", "corso di Porta Romana 2/a": a street kind, a capitalised name, a number. */
const ADDRESS = new RegExp(
  `(?<![\\p{L}])(?:${STREET_KINDS.map(cap).join("|")})\\s+(?:${LINK}\\s*)*\\p{Lu}[\\p{L}\\p{M}'’.\\-]*(?:\\s+(?:${LINK}|\\p{Lu}[\\p{L}\\p{M}'’.\\-]*|[IVXL]+)){0,5}\\s*,?\\s*(?:n\\.\\s*)?\\d{1,4}(?:\\/?[a-zA-Z](?![\\p{L}]))?(?![\\p{N}])`,
  "gu",
);

export interface Details {
  phones: string[];
  shortPhones: string[];
  addresses: string[];
  urls: string[];
  emails: string[];
  amounts: string[];
  times: string[];
}

const trimUrl = (u: string) => u.replace(/[.,;:!?)'"»]+$/, "");
const normUrl = (u: string) => fold(trimUrl(u)).replace(/^https?:\/\//, "").replace(/^www\./, "").replace(/\/+$/, "");

/** "1.500" and "1 500" -> 1500, "1,50" -> 1.5, "12.000,50" -> 12000.5: amounts compared as numbers. */
export function amountValue(n: string): number {
  const s = n.replace(/[\s\u00a0']/g, "");
  if (/^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$/.test(s)) {
    const lastSep = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
    const tail = s.slice(lastSep + 1);
    return tail.length <= 2 ? Number(`${digits(s.slice(0, lastSep))}.${tail}`) : Number(digits(s));
  }
  return Number(s.replace(",", "."));
}

/** Every detail of the kinds the guardrails care about, in the order found. */
export function findDetails(text: string): Details {
  const t = text.normalize("NFC");
  const emails = [...t.matchAll(EMAIL)].map((m) => m[0]);
  const noEmails = t.replace(EMAIL, " ");
  const urls = [...noEmails.matchAll(URL_RE)].map((m) => trimUrl(m[0]));
  const noLinks = noEmails.replace(URL_RE, " ");
  const addresses = [...noLinks.matchAll(ADDRESS)].map((m) => m[0].trim());
  const amounts = [...noLinks.matchAll(AMOUNT)].map((m) => (m[1] ?? m[2])!);
  const times = [...noLinks.matchAll(TIME)].map((m) => `${m[1]!.padStart(2, "0")}:${m[2]}`);
  const noTimes = noLinks.replace(TIME, " ");
  const phones = [...noTimes.matchAll(LONG_NUMBER)].map((m) => m[0].trim());
  const shortPhones = [...noTimes.matchAll(PHONE_CUE)].map((m) => m[1]!.trim()).filter((p) => digits(p).length < 6);
  return { phones, shortPhones, addresses, urls, emails, amounts, times };
}

/** Details of `text` that `source` does not contain. Numbers are compared as digits, addresses as folded words. */
export function ungrounded(text: string, source: string): Problem[] {
  const d = findDetails(text);
  const src = findDetails(source);
  const srcWords = ` ${words(source)} `;
  const srcLinks = fold(source).replace(/https?:\/\//g, "").replace(/\bwww\./g, "");
  const srcPhones = [...src.phones, ...src.shortPhones].map(phoneDigits);
  // Every digit run of the source, for short numbers ("chiama il 1522") and numbers written without separators.
  const srcRuns = new Set([...(source.match(/\d+/g) ?? []), ...srcPhones]);
  const srcAmounts = new Set(src.amounts.map(amountValue));
  const srcTimes = new Set(src.times);
  const problems: Problem[] = [];
  const add = (kind: ProblemKind, value: string, what: string) => {
    if (!problems.some((p) => p.kind === kind && p.value === value)) problems.push({ kind, value, message: `${what} not in the cited entries: ${value}` });
  };
  for (const p of d.phones) {
    const n = phoneDigits(p);
    if (!srcPhones.some((s) => s.includes(n)) && !srcRuns.has(n)) add("phone", p, "phone number");
  }
  for (const p of d.shortPhones) if (!srcRuns.has(digits(p))) add("phone", p, "phone number");
  for (const a of d.addresses) if (!srcWords.includes(` ${words(a)} `)) add("address", a, "address");
  for (const u of d.urls) if (!srcLinks.includes(normUrl(u))) add("url", u, "web address");
  for (const e of d.emails) if (!fold(source).includes(fold(e))) add("email", e, "e-mail address");
  for (const a of d.amounts) if (!srcAmounts.has(amountValue(a))) add("amount", a, "amount");
  for (const t of d.times) if (!srcTimes.has(t)) add("time", t, "time");
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Citations and language.

/** Ids cited as [id], in order, once each. */
export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]!))];
}

/** Fewer words than this and the language check is skipped (short texts are not reliably detectable). */
const MIN_WORDS_FOR_LANGUAGE = 4;

/**
 * The language of `text` after removing what is written the same in every language (citations, addresses, links,
 * numbers, the services' own names), or undefined when too little is left or the detector is unsure.
 */
export function proseLanguage(text: string, names: string[] = []): Lang | undefined {
  let t = text.normalize("NFC").replace(CITATION, " ").replace(EMAIL, " ").replace(URL_RE, " ").replace(ADDRESS, " ");
  for (const n of [...names].sort((a, b) => b.length - a.length)) if (n.length >= 3) t = t.split(n).join(" ");
  t = t.replace(/[\p{N}\p{P}\p{S}]+/gu, " ").replace(/\s+/g, " ").trim();
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  const wordCount = t.split(" ").filter(Boolean).length;
  // Scripts without spaces between words (Chinese) count by characters.
  if (wordCount < MIN_WORDS_FOR_LANGUAGE && letters < 12) return undefined;
  const d = detectLanguage(t);
  return d.confident ? d.lang : undefined;
}

/** Languages the detector cannot always tell apart (words written alike), treated as one. */
const SAME: Partial<Record<Lang, Lang>> = { ru: "uk", ps: "fa" };
const family = (l: Lang) => SAME[l] ?? l;
/**
 * Languages the detector knows only from short word lists: a Somali paragraph can come out as Tagalog. Among
 * these three a mismatch is not reported; an answer in Italian or English to a Somali speaker still is.
 */
const WEAKLY_DETECTED: ReadonlySet<Lang> = new Set<Lang>(["so", "tl", "sq"]);

function languageProblem(text: string, lang: Lang, names: string[]): Problem | undefined {
  const found = proseLanguage(text, names);
  if (!found || found === lang || family(found) === family(lang)) return undefined;
  if (WEAKLY_DETECTED.has(lang) && WEAKLY_DETECTED.has(found)) return undefined;
  return { kind: "language", value: found, message: `written in ${found}, the person's language is ${lang}` };
}

// ---------------------------------------------------------------------------------------------------------------
// The two checks.

export interface AnswerCheckInput {
  /** The person's language. */
  lang: Lang;
  /** The services given to the model: the only ones it may cite. */
  services: Service[];
}

/** An LLM answer against the entries it cites. */
export function checkAnswer(answer: string, o: AnswerCheckInput): GuardrailResult {
  const problems: Problem[] = [];
  if (!answer.trim()) return { ok: false, problems: [{ kind: "empty", value: "", message: "empty answer" }] };
  const byId = new Map(o.services.map((s) => [s.id, s]));
  const ids = citedIds(answer);
  if (ids.length === 0) problems.push({ kind: "no_citation", value: "", message: "the answer cites no service" });
  for (const id of ids) if (!byId.has(id)) problems.push({ kind: "unknown_citation", value: id, message: `cites [${id}], which is not among the given services` });
  const cited = ids.map((id) => byId.get(id)).filter((s): s is Service => s !== undefined);
  problems.push(...ungrounded(answer, cited.map((s) => groundingText(s, o.lang)).join("\n")));
  const names = o.services.flatMap((s) => [s.name, ...s.aliases, ...s.contacts.map((c) => c.label ?? "")]);
  const lang = languageProblem(answer, o.lang, names);
  if (lang) problems.push(lang);
  return { ok: problems.length === 0, problems };
}

/**
 * A translation against its source: the same phone numbers, addresses, links, amounts and times, none added and none
 * lost, and the target language.
 */
export function checkTranslation(source: string, translation: string, to: Lang): GuardrailResult {
  if (!translation.trim()) return { ok: false, problems: [{ kind: "empty", value: "", message: "empty translation" }] };
  const problems = [
    ...ungrounded(translation, source),
    ...ungrounded(source, translation).map((p) => ({ ...p, message: `lost in translation: ${p.value}` })),
  ];
  const lang = languageProblem(translation, to, []);
  if (lang) problems.push(lang);
  return { ok: problems.length === 0, problems };
}

/**
 * The answer as the person reads it: a citation right after the service's name is dropped ("Casa Jannacci
 * [casa-jannacci]" -> "Casa Jannacci"), any other becomes the name in brackets. The cards below carry the details.
 */
export function renderCitations(text: string, services: Service[]): string {
  const byId = new Map(services.map((s) => [s.id, s]));
  let out = "";
  let last = 0;
  for (const m of text.matchAll(CITATION)) {
    const s = byId.get(m[1]!);
    const before = text.slice(last, m.index);
    const recent = fold(text.slice(Math.max(0, m.index! - 80), m.index));
    out += before;
    if (s && !recent.includes(fold(s.name))) out += `(${s.name})`;
    else out = out.replace(/[ \u00a0]+$/, "");
    last = m.index! + m[0].length;
  }
  out += text.slice(last);
  return out.replace(/[ \u00a0]+([.,;:!?])/g, "$1").trim();
}
