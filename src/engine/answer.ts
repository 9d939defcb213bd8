import type { TFunction } from "i18next";
import type { Lang } from "../language/languages.js";
import type { Contact, Service, Source } from "../knowledge/schema.js";
import { DAY_NAMES } from "../knowledge/schema.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { foldText } from "../knowledge/search/text.js";
import type { CriterionCheck } from "./eligibility.js";

/**
 * Service cards and their parts, composed only from the knowledge base and i18n templates:
 * every contact detail in a reply comes from the service's own entry.
 */

export function localized(service: Service, lang: Lang) {
  const t = service.text[lang];
  return t ? { text: t, inItalian: false } : { text: service.text.it, inItalian: true };
}

function expandDays(spec: string, t: TFunction): string {
  return spec
    .split(",")
    .map((part) => part.split("-").map((d) => t(`day_${d}`)).join("-"))
    .join(", ");
}

export function renderHours(c: Contact, t: TFunction): string | undefined {
  if (c.hours === "always") return t("hours_always");
  if (!c.hours) return undefined;
  return c.hours.map((h) => `${expandDays(h.days, t)} ${h.from}-${h.to}`).join("; ");
}

export function renderContact(c: Contact, t: TFunction): string[] {
  const lines: string[] = [];
  const head = c.label ? `${c.label}: ` : "";
  if (c.address) lines.push(`📍 ${head}${t("address")}: ${c.address}`);
  else if (c.label) lines.push(`📍 ${c.label}`);
  if (c.phone?.length) lines.push(`📞 ${t("phone")}: ${c.phone.join(", ")}`);
  const hours = renderHours(c, t);
  if (hours) lines.push(`🕘 ${t("hours")}: ${hours}${c.hours_note ? ` (${c.hours_note})` : ""}`);
  if (c.access?.length) lines.push(`➡️ ${c.access.map((a) => t(`access_${a}`)).join(", ")}`);
  if (c.email) lines.push(`✉️ ${t("email")}: ${c.email}`);
  if (c.website) lines.push(`🌐 ${t("website")}: ${c.website}`);
  if (c.cost) lines.push(`💶 ${t("cost")}: ${c.cost}`);
  return lines;
}

function criterionLabel(c: CriterionCheck, t: TFunction): string {
  switch (c.criterion) {
    case "residence":
      return t(`crit_residence_${c.params.area}`);
    case "legal_status":
      return t("crit_legal_status", { list: String(c.params.accepted).split(",").map((s) => t(`status_${s}`)).join(", ") });
    case "age":
      if (c.params.min !== undefined && c.params.max !== undefined) return t("crit_age_range", c.params);
      return c.params.min !== undefined ? t("crit_age_min", c.params) : t("crit_age_max", c.params);
    case "isee_max":
      return t("crit_isee_max", { value: Number(c.params.value).toLocaleString("it-IT") });
    default:
      return t(`crit_${c.criterion}`);
  }
}

const MARK = { met: "✔", not_met: "✘", unknown: "?" } as const;

export function renderEligibility(service: Service, checks: CriterionCheck[], t: TFunction): string[] {
  const c = service.criteria;
  if (checks.length === 0) {
    const open = c.residence.required === "none" && Array.isArray(c.legal_status.accepted) && c.legal_status.accepted.includes("any");
    return open ? [t("open_to_all")] : [];
  }
  return [
    ...checks.map((k) => `${MARK[k.status]} ${criterionLabel(k, t)}: ${t(`mark_${k.status}`)}`),
    t("eligibility_disclaimer"),
  ];
}

export function renderSource(service: Service, t: TFunction): string {
  const describe = (s: Source) => {
    if (s.kind === "seed") return t("source_seed");
    const where = s.url ?? s.title ?? t("source_facts");
    return s.date ? `${where} (${s.date})` : where;
  };
  const seen = new Set<string>();
  const parts = service.sources.map(describe).filter((x) => !seen.has(x) && seen.add(x)).slice(0, 2);
  return `${t("source_label")}: ${parts.join("; ")} · ${t("checked_on", { date: service.last_verified })}`;
}

/** The keywords of the service (in the person's language) that their message contains: the "why". */
export function matchedKeywords(service: Service, lang: Lang, message: string): string[] {
  const folded = ` ${foldText(message)} `;
  const kws = localized(service, lang).text.keywords;
  return kws.filter((k) => {
    const f = foldText(k);
    return f.length >= 3 && (folded.includes(` ${f} `) || (f.length >= 5 && folded.includes(f)));
  }).slice(0, 3);
}

export interface CardOptions {
  lang: Lang;
  t: TFunction;
  kb: KnowledgeBase;
  checks: CriterionCheck[];
  message?: string;
  /** Show only these contacts (the nearest, or those of the person's area). */
  contacts?: Contact[];
}

export function renderCard(service: Service, o: CardOptions): string {
  const { text, inItalian } = localized(service, o.lang);
  const lines = [`▪️ ${service.name}`, text.summary + (inItalian ? ` ${o.t("info_in_italian")}` : "")];
  const words = o.message ? matchedKeywords(service, o.lang, o.message) : [];
  if (words.length) lines.push(o.t("why_fits", { words: words.join(", ") }));
  const elig = renderEligibility(service, o.checks, o.t);
  if (elig.length) lines.push(`${o.t("who_label")}:`, ...elig.map((l) => `  ${l}`));
  lines.push(`${o.t("how_label")}: ${text.how_to_access}`);
  const contacts = (o.contacts ?? service.contacts).slice(0, 2);
  for (const c of contacts) lines.push(...renderContact(c, o.t));
  if (service.contacts.length === 0 && service.ask?.length) {
    const who = service.ask.map((id) => o.kb.byId.get(id)?.name ?? id).join(", ");
    lines.push(o.t("no_contact", { who }));
  }
  lines.push(renderSource(service, o.t));
  return lines.join("\n");
}
