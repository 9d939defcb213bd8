import { z } from "zod";
import { LANGUAGES, type Lang } from "../language/languages.js";

/**
 * The format of one knowledge-base entry (knowledge/services/<id>.yaml).
 * Every fact that is set carries `source`: the id of an entry in the service's `sources` list.
 * The loader checks that those ids exist (see load.ts), so a fact without provenance cannot load.
 */

const sourceId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "source ids are lower-case letters, digits, - and _");

export const SourceSchema = z
  .object({
    id: sourceId,
    /** seed: one of ../shared/seeds (file + lines); facts: the public-facts research file (section); web: a public page. */
    kind: z.enum(["seed", "facts", "web"]),
    file: z.string().min(1).optional(),
    lines: z.string().regex(/^L?\d+(-\d+)?(\s*,\s*L?\d+(-\d+)?)*$/, "lines look like 120-135 or 12,40-44").optional(),
    section: z.string().min(1).optional(),
    url: z.string().min(4).optional(),
    title: z.string().min(1).optional(),
    date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "dates are YYYY, YYYY-MM or YYYY-MM-DD").optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === "seed" && (!s.file || !s.lines))
      ctx.addIssue({ code: "custom", message: "a seed source needs file and lines" });
    if (s.kind === "facts" && !s.section)
      ctx.addIssue({ code: "custom", message: "a facts source needs the section of public-service-facts.md (e.g. A2)" });
    if (s.kind === "web" && !s.url && !s.title)
      ctx.addIssue({ code: "custom", message: "a web source needs url or title" });
  });
export type Source = z.infer<typeof SourceSchema>;

export const CATEGORIES = [
  "emergency", "orientation", "housing", "homelessness", "food", "income", "work", "migrants", "legal",
  "language_school", "education", "health", "mental_health", "addiction", "disability", "elderly", "carers",
  "family", "children", "youth", "women", "violence", "trafficking", "lgbtq", "discrimination", "justice",
  "community", "loneliness", "volunteering", "digital", "material_aid",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Kinds of danger the triage recognises; an emergency line lists the kinds it answers. */
export const EMERGENCY_KINDS = [
  "medical", "violence", "sexual_violence", "suicide", "minor_at_risk", "trafficking", "no_shelter", "cold",
] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

export const LEGAL_STATUSES = [
  "any", "italian", "eu", "regular_permit", "asylum_seeker", "international_protection",
  "temporary_protection", "undocumented",
] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export const RESIDENCE_REQUIREMENTS = ["none", "milano", "visconteo", "municipality", "lombardia", "italy", "unknown"] as const;
export type ResidenceRequirement = (typeof RESIDENCE_REQUIREMENTS)[number];

const withSource = { source: sourceId, note: z.string().optional() };

export const CriteriaSchema = z
  .object({
    /** Whether residence is required, and where. `unknown` when no source says. */
    residence: z.object({ required: z.enum(RESIDENCE_REQUIREMENTS), note: z.string().optional(), source: sourceId.optional() }).strict(),
    /** Which legal statuses the service serves. ["any"] when it serves everyone regardless of papers. */
    legal_status: z.object({ accepted: z.array(z.enum(LEGAL_STATUSES)).min(1).or(z.literal("unknown")), note: z.string().optional(), source: sourceId.optional() }).strict(),
    age: z.object({ min: z.number().int().min(0).max(120).optional(), max: z.number().int().min(0).max(120).optional(), ...withSource }).strict().optional(),
    isee_max: z.object({ value: z.number().positive(), ...withSource }).strict().optional(),
    household_with_minors: z.object({ required: z.boolean(), ...withSource }).strict().optional(),
    disability_certification: z.object({ required: z.boolean(), ...withSource }).strict().optional(),
    gender: z.object({ accepted: z.array(z.enum(["women", "men", "any"])).min(1), ...withSource }).strict().optional(),
    /** Rules that cannot be structured, in Italian (the reference language). */
    notes: z.array(z.object({ text: z.string().min(3), source: sourceId }).strict()).optional(),
  })
  .strict();
export type Criteria = z.infer<typeof CriteriaSchema>;

export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const time = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, "times are HH:MM");
export const OpeningSlotSchema = z
  .object({
    /** "mon-fri", "sat", "mon,wed,fri". */
    days: z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$/, "days look like mon-fri or mon,wed"),
    from: time,
    to: time,
  })
  .strict();

export const ACCESS_MODES = ["walk_in", "appointment", "phone", "online", "referral", "outreach"] as const;

export const ContactSchema = z
  .object({
    label: z.string().optional(),
    address: z.string().min(5).optional(),
    /** Area id from knowledge/areas.yaml (milano, rozzano, ...). */
    municipality: z.string().optional(),
    municipio: z.number().int().min(1).max(9).optional(),
    coordinates: z.object({ lat: z.number().min(45).max(46), lon: z.number().min(8.5).max(9.6) }).strict().optional(),
    phone: z.array(z.string().regex(/^\+?[0-9][0-9 .\-/]{1,18}[0-9]$/, "a phone number has digits, spaces, dots or dashes")).optional(),
    email: z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, "not an e-mail address").optional(),
    website: z.string().regex(/^(https?:\/\/)?[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i, "not a web address").optional(),
    /** "always" for round-the-clock lines. */
    hours: z.union([z.literal("always"), z.array(OpeningSlotSchema).min(1)]).optional(),
    hours_note: z.string().optional(),
    access: z.array(z.enum(ACCESS_MODES)).optional(),
    cost: z.string().optional(),
    /** ISO 639-1 codes of the languages spoken at this point. */
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).optional(),
    source: sourceId,
    conflict: z.string().optional(),
  })
  .strict();
export type Contact = z.infer<typeof ContactSchema>;

export const LocalizedTextSchema = z
  .object({
    summary: z.string().min(10).max(600),
    how_to_access: z.string().min(10).max(800),
    keywords: z.array(z.string().min(1).max(60)).min(3),
  })
  .strict();
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Italian required (the reference language), every other language optional at load time. */
function perLanguage<T extends z.ZodType>(schema: T) {
  return Object.fromEntries(LANGUAGES.map((l) => [l, l === "it" ? schema : schema.optional()])) as unknown as {
    [K in Lang]: K extends "it" ? T : z.ZodOptional<T>;
  };
}
const textShape = perLanguage(LocalizedTextSchema);

export const AreaSchema = z
  .object({
    scope: z.enum(["milano", "visconteo", "metropolitan", "lombardia", "national"]),
    municipi: z.array(z.number().int().min(1).max(9)).optional(),
    municipalities: z.array(z.string()).optional(),
  })
  .strict();

export const ServiceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "ids are kebab-case"),
    name: z.string().min(2),
    aliases: z.array(z.string().min(2)).default([]),
    area: AreaSchema,
    categories: z.array(z.enum(CATEGORIES)).min(1),
    /** Emergency lines and services that answer a kind of danger the triage recognises. */
    emergency_kinds: z.array(z.enum(EMERGENCY_KINDS)).optional(),
    /** A general access point, offered when nothing else fits (020202, social services). */
    general_access_point: z.boolean().optional(),
    text: z.object(textShape).strict(),
    criteria: CriteriaSchema,
    contacts: z.array(ContactSchema).default([]),
    /** Who to ask when no contact is known: ids of other services. */
    ask: z.array(z.string()).optional(),
    sources: z.array(SourceSchema).min(1),
    last_verified: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "last_verified is YYYY-MM-DD"),
  })
  .strict();
export type Service = z.infer<typeof ServiceSchema>;

export const AreasFileSchema = z
  .object({
    municipi: z.array(
      z.object({
        id: z.string(),
        number: z.number().int().min(1).max(9),
        name: z.string(),
        neighbourhoods: z.array(z.string()).min(1),
        source: z.string().optional(),
      }).strict(),
    ).length(9),
    municipalities: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        aliases: z.array(z.string()).default([]),
        /** Names that are also common words: they count only after a place preposition, or as the whole message. */
        ambiguous: z.array(z.string()).default([]),
        ambito: z.enum(["milano", "visconteo"]),
        coordinates: z.object({ lat: z.number(), lon: z.number() }).strict().optional(),
        source: z.string().optional(),
      }).strict(),
    ).min(2),
  })
  .strict();
export type AreasFile = z.infer<typeof AreasFileSchema>;

export const GlossaryFileSchema = z
  .object({
    terms: z.array(
      z.object({
        id: z.string(),
        term: z.string(),
        aliases: z.array(z.string()).default([]),
        /** Plain-language definition in each language; `it` required. */
        definition: z.object(perLanguage(z.string().min(5))).strict(),
        see_also: z.array(z.string()).optional(),
        source: z.string().optional(),
      }).strict(),
    ),
  })
  .strict();
export type GlossaryFile = z.infer<typeof GlossaryFileSchema>;
