import { z } from "zod";
import { LEGAL_STATUSES } from "../knowledge/schema.js";
import type { AreasFile } from "../knowledge/schema.js";
import { foldText } from "../knowledge/search/text.js";

/** What the person told us about themselves, kept for the rest of the conversation. Nothing else is kept. */
export const ProfileSchema = z.object({
  municipality: z.string().optional(),
  municipio: z.number().int().min(1).max(9).optional(),
  age: z.number().int().min(0).max(120).optional(),
  children: z.boolean().optional(),
  legalStatus: z.enum(LEGAL_STATUSES).optional(),
  isee: z.number().nonnegative().optional(),
  disability: z.boolean().optional(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileField = "municipality" | "age" | "children" | "legalStatus" | "isee" | "disability";

const AGE = /(?:^|\s)(\d{1,3})\s?(?:anni|anno|years?|yrs|ans|anos|ani|vjec|vjeç|лет|год|років|роки|рок|岁|歲|سنة|سنه|سال|taong|sano|jir|বছর|වයස|ዓመት)(?:\s|$)/u;
const AGE_BEFORE = /(?:ho|i'?m|i am|j'ai|tengo|am|jam|мне|мені|عمري|عمری|我)\s?(\d{1,3})(?:\s|$)/u;
const ISEE = /isee[^0-9]{0,25}(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:[,.]\d+)?\s*(k)?/iu;
const CHILDREN = /\b(figli|figlio|figlia|bambin[oi]|bimb[oi]|neonat|children|kids?|son|daughter|baby|enfants?|fils|fille|bebe|hij[oa]s?|nin[oa]s|copii|copil|fiul|fiica|femij|djal|vajz|anak|carruur|ilmo|wiil|gabadh)\b|أطفال|اطفال|طفل|ابني|ابنتي|بچه|فرزند|ماشوم|بچے|дит|діт|дет|сын|син|доч|孩子|儿子|女儿|সন্তান|ছেলে|মেয়ে|ළමයි|දරු|ቆልዑ|ውላድ/u;
const DISABILITY = /disabil|invalidit|handicap|legge 104|\b104\b|disab|autis|down syndrome|sindrome di down|handicape|discapacidad|dizabilit|aftesi te kufizuar|kapansanan|naafo|إعاقة|اعاقة|معلول|معذور|معیوب|інвалід|инвалид|残疾|প্রতিবন্ধী|ආබාධ|ስንክልና/u;

const STATUS_PATTERNS: [(typeof LEGAL_STATUSES)[number], RegExp][] = [
  ["temporary_protection", /protezione temporanea|temporary protection|protection temporaire|proteccion temporal|тимчасов\S* захист|временн\S* защит/u],
  ["asylum_seeker", /richiedente asilo|chiedere asilo|domanda di asilo|asylum|asile|asilo|azil|azil|لجوء|پناهند|پناه|притулок|убежищ|庇护|আশ্রয়|සරණ|ዑቕባ|magangalyo/u],
  ["international_protection", /protezione internazionale|rifugiat|refugee status|statut de refugie|estatus de refugiado|protection internationale/u],
  ["undocumented", /senza (documenti|permesso|carte)|irregolare|clandestin|no papers|undocumented|without papers|sans papiers|sin papeles|fara acte|pa dokumente|walang papeles|bila warqad|بدون اوراق|بدون أوراق|بی مدرک|без документ|没有身份|没有证件|কাগজপত্র নেই/u],
  ["regular_permit", /permesso di soggiorno|residence permit|titre de sejour|permiso de residencia|permis de sedere|leje qendrimi|tengo papeles|ho i documenti|i have papers|কাগজপত্র আছে|вид на жительство|посвідка/u],
  ["eu", /\b(sono|i'?m|je suis|soy|sunt)\s+(rumen|romanian|roumain|rumano|roman|polac|polish|bulgar|spagnol|french|frances|francese)|din romania|from romania|cittadin\w* (europe|comunitari|ue)/u],
  ["italian", /cittadin\w* italian|sono italian|italian citizen/u],
];

/** Municipalities and Municipi named in the text (areas.yaml names, aliases and neighbourhoods). */
const PLACE_WORDS = new Set(["a", "ad", "di", "in", "da", "at", "near", "to", "from", "a", "en", "de", "pres", "cerca", "la", "in", "din", "ne", "sa", "nga", "ku", "в", "у", "з", "из", "около", "біля", "في", "قرب", "من", "در", "نزدیک", "په", "میں", "在", "住在", "ጥቃ"].map(foldText));

export function findArea(text: string, areas: AreasFile): { municipality?: string; municipio?: number } {
  const folded = ` ${foldText(text)} `;
  const words = folded.trim().split(" ");
  const has = (name: string) => {
    const f = foldText(name);
    return f.length >= 3 && folded.includes(` ${f} `);
  };
  /** A name that is also a common word counts after a place word ("abito a Opera"), or when it is the whole answer. */
  const hasAmbiguous = (name: string) => {
    const f = foldText(name);
    if (!has(name)) return false;
    if (words.length <= 3) return true;
    const first = f.split(" ")[0]!;
    return words.some((w, i) => w === first && i > 0 && PLACE_WORDS.has(words[i - 1]!));
  };
  for (const m of areas.municipalities) {
    if (m.id === "milano") continue;
    const plain = [m.name, ...m.aliases].filter((n) => !m.ambiguous.includes(n));
    if (plain.some(has) || m.ambiguous.some(hasAmbiguous)) return { municipality: m.id };
  }
  const mun = folded.match(/ municipio (\d) /);
  if (mun) return { municipality: "milano", municipio: Number(mun[1]) };
  for (const m of areas.municipi) if (m.neighbourhoods.some(has)) return { municipality: "milano", municipio: m.number };
  const milano = areas.municipalities.find((m) => m.id === "milano");
  if (milano && [milano.name, ...milano.aliases].some(has)) return { municipality: "milano" };
  return {};
}

function parseNumber(raw: string, k: string | undefined): number {
  const n = Number(raw.replace(/[.\s]/g, ""));
  return k ? n * 1000 : n;
}

/** Facts stated in one message. Only what is said plainly; nothing is guessed. */
export function extractProfile(text: string, areas: AreasFile): Partial<Profile> {
  const out: Partial<Profile> = {};
  const lower = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  Object.assign(out, findArea(text, areas));
  const age = lower.match(AGE) ?? lower.match(AGE_BEFORE);
  if (age) {
    const n = Number(age[1]);
    if (n > 0 && n < 120) out.age = n;
  }
  const arabicDigits = lower.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (out.age === undefined && arabicDigits !== lower) {
    const a = arabicDigits.match(AGE) ?? arabicDigits.match(AGE_BEFORE);
    if (a) out.age = Number(a[1]);
  }
  const isee = lower.match(ISEE);
  if (isee) out.isee = parseNumber(isee[1]!, isee[2]);
  if (CHILDREN.test(lower)) out.children = true;
  if (DISABILITY.test(lower)) out.disability = true;
  for (const [status, re] of STATUS_PATTERNS) if (re.test(lower)) {
    out.legalStatus = status;
    break;
  }
  return out;
}

export function mergeProfile(base: Profile, extra: Partial<Profile>): Profile {
  const merged: Profile = { ...base };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}
