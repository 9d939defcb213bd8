import type { KnowledgeBase } from "./load.js";
import { foldName } from "./normalize.js";

/** Scoring of a question set: hit@1, hit@3 and MRR against expected service names, per language. */
export interface EvalItem { id: string; lang: string; text: string; expect: string[]; urgent: boolean; handoff: boolean }
export interface EvalOutcome { item: EvalItem; services: string[]; lang: string; urgent: boolean }

interface Row { n: number; hit1: number; hit3: number; rr: number }
export interface EvalReport {
  byLang: Record<string, Row>;
  overall: Row;
  urgent: { flagged: number; total: number; falseFlags: number; others: number };
  replyLanguage: { correct: number; total: number };
  outOfScope: { total: number; answeredWithServices: number };
  misses: { id: string; lang: string; text: string; expect: string[]; got: string[] }[];
  unknownNames: string[];
}

export function scoreRun(kb: KnowledgeBase, outcomes: EvalOutcome[]): EvalReport {
  const owner = new Map<string, string>();
  for (const s of kb.services) for (const n of [s.name, ...s.aliases]) owner.set(foldName(n), s.id);
  const unknownNames = new Set<string>();
  const byLang: Record<string, Row> = {};
  const overall: Row = { n: 0, hit1: 0, hit3: 0, rr: 0 };
  const urgent = { flagged: 0, total: 0, falseFlags: 0, others: 0 };
  const replyLanguage = { correct: 0, total: 0 };
  const outOfScope = { total: 0, answeredWithServices: 0 };
  const misses: EvalReport["misses"] = [];
  for (const o of outcomes) {
    const { item } = o;
    replyLanguage.total++;
    if (o.lang === item.lang) replyLanguage.correct++;
    if (item.urgent) {
      urgent.total++;
      if (o.urgent) urgent.flagged++;
    } else {
      urgent.others++;
      if (o.urgent) urgent.falseFlags++;
    }
    if (item.expect.length === 0) {
      outOfScope.total++;
      if (o.services.length) outOfScope.answeredWithServices++;
      continue;
    }
    const expected = new Set<string>();
    for (const name of item.expect) {
      const id = owner.get(foldName(name));
      if (id) expected.add(id);
      else unknownNames.add(name);
    }
    const rank = o.services.findIndex((s) => expected.has(s));
    const row = (byLang[item.lang] ??= { n: 0, hit1: 0, hit3: 0, rr: 0 });
    for (const r of [row, overall]) {
      r.n++;
      if (rank === 0) r.hit1++;
      if (rank >= 0 && rank < 3) r.hit3++;
      if (rank >= 0) r.rr += 1 / (rank + 1);
    }
    if (rank < 0 || rank >= 3) misses.push({ id: item.id, lang: item.lang, text: item.text, expect: item.expect, got: o.services.slice(0, 3) });
  }
  return { byLang, overall, urgent, replyLanguage, outOfScope, misses, unknownNames: [...unknownNames] };
}

export function formatReport(r: EvalReport, withMisses = false): string {
  const f = (x: number) => x.toFixed(2);
  const line = (name: string, row: Row) => `| ${name} | ${row.n} | ${f(row.hit1 / row.n)} | ${f(row.hit3 / row.n)} | ${f(row.rr / row.n)} |`;
  const out = ["| lang | n | hit@1 | hit@3 | MRR |", "|---|---|---|---|---|"];
  for (const lang of Object.keys(r.byLang).sort()) out.push(line(lang, r.byLang[lang]!));
  out.push(line("**all**", r.overall));
  out.push("");
  out.push(`urgent flagged: ${r.urgent.flagged}/${r.urgent.total}; false urgent flags: ${r.urgent.falseFlags}/${r.urgent.others}`);
  out.push(`reply in the question's language: ${r.replyLanguage.correct}/${r.replyLanguage.total}`);
  if (r.outOfScope.total) out.push(`out-of-scope questions answered with services: ${r.outOfScope.answeredWithServices}/${r.outOfScope.total}`);
  if (r.unknownNames.length) out.push(`expected names not in the knowledge base: ${r.unknownNames.join("; ")}`);
  if (withMisses) for (const m of r.misses) out.push(`MISS ${m.id} [${m.lang}] ${m.text.slice(0, 80)}\n   expect: ${m.expect.slice(0, 3).join(" | ")}\n   got:    ${m.got.join(" | ")}`);
  return out.join("\n") + "\n";
}
