import type { Service, Criteria } from "../knowledge/schema.js";
import type { AreasFile } from "../knowledge/schema.js";
import type { Profile, ProfileField } from "./profile.js";

/**
 * Criteria x profile -> met / not met / unknown, for each criterion the knowledge base states.
 * Informative only, never a decision: the office decides. When unsure, the answer is "unknown", never "not met".
 */
export type CriterionStatus = "met" | "not_met" | "unknown";

export interface CriterionCheck {
  criterion: "residence" | "legal_status" | "age" | "isee_max" | "household_with_minors" | "disability_certification" | "gender";
  status: CriterionStatus;
  /** Values used to describe the criterion in the answer (e.g. {min: 18, max: 65}). */
  params: Record<string, string | number>;
  /** The profile field that would settle an unknown. */
  asks?: ProfileField;
}

function ambitoOf(municipality: string | undefined, areas: AreasFile): "milano" | "visconteo" | "other" | undefined {
  if (!municipality) return undefined;
  const m = areas.municipalities.find((x) => x.id === municipality);
  return m ? m.ambito : "other";
}

export function checkEligibility(service: Service, profile: Profile, areas: AreasFile): CriterionCheck[] {
  const c: Criteria = service.criteria;
  const out: CriterionCheck[] = [];
  const ambito = ambitoOf(profile.municipality, areas);

  const res = c.residence.required;
  if (res === "milano" || res === "visconteo" || res === "municipality") {
    let status: CriterionStatus = "unknown";
    if (ambito && res !== "municipality") status = ambito === res ? "met" : "not_met";
    else if (ambito && res === "municipality") status = ambito === "other" ? "unknown" : "met";
    out.push({ criterion: "residence", status, params: { area: res }, asks: "municipality" });
  }

  const ls = c.legal_status.accepted;
  if (Array.isArray(ls) && !ls.includes("any")) {
    let status: CriterionStatus = "unknown";
    if (profile.legalStatus) {
      const accepted = new Set<string>(ls);
      // A regular permit is held by every protection holder: count them as meeting a "regular_permit" rule.
      const covers = accepted.has(profile.legalStatus) ||
        (accepted.has("regular_permit") && ["international_protection", "temporary_protection", "eu", "italian"].includes(profile.legalStatus));
      status = covers ? "met" : "not_met";
    }
    out.push({ criterion: "legal_status", status, params: { accepted: ls.join(",") }, asks: "legalStatus" });
  }

  if (c.age && (c.age.min !== undefined || c.age.max !== undefined)) {
    let status: CriterionStatus = "unknown";
    if (profile.age !== undefined)
      status = (c.age.min === undefined || profile.age >= c.age.min) && (c.age.max === undefined || profile.age <= c.age.max) ? "met" : "not_met";
    const params: Record<string, number> = {};
    if (c.age.min !== undefined) params.min = c.age.min;
    if (c.age.max !== undefined) params.max = c.age.max;
    out.push({ criterion: "age", status, params, asks: "age" });
  }

  if (c.isee_max) {
    const status: CriterionStatus = profile.isee === undefined ? "unknown" : profile.isee <= c.isee_max.value ? "met" : "not_met";
    out.push({ criterion: "isee_max", status, params: { value: c.isee_max.value }, asks: "isee" });
  }

  if (c.household_with_minors?.required) {
    const status: CriterionStatus = profile.children === undefined ? "unknown" : profile.children ? "met" : "not_met";
    out.push({ criterion: "household_with_minors", status, params: {}, asks: "children" });
  }

  if (c.disability_certification?.required) {
    // Mentioning a disability is not a certification: at most it leaves the question open.
    out.push({ criterion: "disability_certification", status: "unknown", params: {}, asks: profile.disability ? undefined : "disability" });
  }

  if (c.gender && !c.gender.accepted.includes("any")) {
    out.push({ criterion: "gender", status: "unknown", params: { accepted: c.gender.accepted.join(",") } });
  }
  return out;
}
