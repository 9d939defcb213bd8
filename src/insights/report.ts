/**
 * The needs report ("insights"): figures over a period, computed in SQL from the anonymous tables only
 * (turn_stats, unanswered, handoff_stats, feedback). Nothing here reads conversations, messages or profiles.
 */
import type { KnowledgeBase } from "../knowledge/load.js";
import type { SqlClient } from "../store/sql.js";
import { foldText, terms } from "../knowledge/search/text.js";
import { isLang, type Lang } from "../language/languages.js";

export interface Period {
  /** First day, YYYY-MM-DD, included. */
  from: string;
  /** Last day, YYYY-MM-DD, included. */
  to: string;
}

export interface Count {
  /** The value counted (topic, language, municipality, channel, outcome, day); null when not known. */
  key: string | null;
  count: number;
  /** A readable name, where the knowledge base has one (municipalities). */
  label?: string;
}

export interface UnansweredGroup {
  count: number;
  /** Languages of the questions in the group, most frequent first. */
  languages: string[];
  /** Words most of the group's questions share (folded), for a label. */
  keywords: string[];
  /** Up to 3 different questions, as stored (already redacted). */
  examples: string[];
}

export interface ServiceFeedback {
  serviceId: string;
  /** The service's name in the knowledge base; the id when it is no longer there. */
  name: string;
  up: number;
  down: number;
}

export interface InsightsReport {
  period: Period;
  turns: {
    total: number;
    /** Turns where a service fitted (not only a general access point). */
    answered: number;
    urgent: number;
    handoff: number;
    /** Shares of `total`, 0..1; null when there were no turns. */
    answeredShare: number | null;
    urgentShare: number | null;
    handoffRate: number | null;
  };
  byTopic: Count[];
  byLanguage: Count[];
  byMunicipality: Count[];
  byChannel: Count[];
  byDay: Count[];
  unanswered: {
    total: number;
    /** How many of them were grouped (the most recent ones, up to a limit). */
    grouped: number;
    groups: UnansweredGroup[];
  };
  handoffs: {
    total: number;
    urgent: number;
    /** Hand-offs with a known waiting time (claimed by an operator). */
    withWait: number;
    waitMedianSeconds: number | null;
    waitP90Seconds: number | null;
    outcomes: Count[];
  };
  feedback: ServiceFeedback[];
}

export interface ReportOptions {
  /** At most this many unanswered questions (the most recent) are grouped. */
  maxUnanswered?: number;
  /** At most this many groups are returned (the largest). */
  maxGroups?: number;
  /** Jaccard similarity of significant terms from which two questions are the same need. */
  similarity?: number;
}

type Sql = Pick<SqlClient, "query">;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const share = (n: number, total: number) => (total > 0 ? n / total : null);

/** Counts per value of one column of turn_stats (the column name is ours, never the caller's). */
async function countBy(sql: Sql, column: "topic" | "lang" | "municipality" | "channel", p: Period): Promise<Count[]> {
  const { rows } = await sql.query<{ key: string | null; count: number | string }>(
    `SELECT ${column} AS key, count(*)::int AS count FROM turn_stats WHERE day BETWEEN $1::date AND $2::date
     GROUP BY ${column} ORDER BY count(*) DESC, ${column} NULLS LAST`,
    [p.from, p.to],
  );
  return rows.map((r) => ({ key: r.key, count: num(r.count) }));
}

const REDACTED = /\[(?:email|iban|codice-fiscale|document|phone)\]/g;

/**
 * The significant terms of a question: folded words without stop words, each as its stem when it has one (so
 * "affitto" and "affitti" meet), Han text as character pairs. From the search index's own text handling.
 */
export function significantTerms(text: string, lang: string): Set<string> {
  // Redaction placeholders ([phone], [email]…) say nothing about the need.
  const all = terms(text.replace(REDACTED, " "), isLang(lang) ? lang : ("it" as Lang));
  const units: string[] = [];
  for (const t of all) {
    if (t.startsWith("~")) {
      if (units.length) units[units.length - 1] = t.slice(1);
    } else units.push(t);
  }
  return new Set(units);
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** A question is compared with this many of a group's first questions (single linkage, bounded). */
const COMPARE_WITH = 20;

interface Building {
  /** Significant terms of the group's first questions (none for a group of texts without significant terms). */
  sets: Set<string>[];
  items: { lang: string; text: string; words: string[] }[];
}

/**
 * Groups similar questions, greedily, oldest first: each question joins the group holding the question most similar
 * to it (Jaccard of significant terms ≥ `threshold`, compared with up to 20 of the group's questions), or starts a
 * new group. Questions with no significant term group only with the same text. Largest groups first.
 */
export function groupUnanswered(rows: { lang: string; text: string }[], threshold = 0.5, maxGroups = 50): UnansweredGroup[] {
  const groups: Building[] = [];
  const memo = new Map<string, Set<string>>();
  // Only groups sharing a term can be similar: an inverted index from term to groups keeps this near-linear.
  const byTerm = new Map<string, Set<Building>>();
  const byFolded = new Map<string, Building>();
  const index = (g: Building, set: Set<string>) => {
    for (const t of set) {
      const gs = byTerm.get(t) ?? new Set<Building>();
      gs.add(g);
      byTerm.set(t, gs);
    }
  };
  for (const row of rows) {
    const set = significantTerms(row.text, row.lang);
    const folded = foldText(row.text);
    let best: Building | undefined;
    if (set.size === 0) best = byFolded.get(folded);
    else {
      const candidates = new Set<Building>();
      for (const t of set) for (const g of byTerm.get(t) ?? []) candidates.add(g);
      let bestScore = 0;
      for (const g of candidates) {
        let score = 0;
        for (const other of g.sets) score = Math.max(score, jaccard(set, other));
        if (score >= threshold && score > bestScore) [best, bestScore] = [g, score];
      }
    }
    const words = folded.split(" ").filter((w) => w.length > 1);
    const item = { lang: row.lang, text: row.text, words: [...new Set(words)] };
    if (best) {
      best.items.push(item);
      if (best.sets.length < COMPARE_WITH && set.size) {
        best.sets.push(set);
        index(best, set);
      }
    } else {
      const g: Building = { sets: set.size ? [set] : [], items: [item] };
      groups.push(g);
      if (set.size) index(g, set);
      else byFolded.set(folded, g);
    }
  }
  return groups
    .sort((a, b) => b.items.length - a.items.length || a.items[0]!.text.localeCompare(b.items[0]!.text))
    .slice(0, maxGroups)
    .map((g) => toGroup(g, memo));
}

function toGroup(g: Building, memo: Map<string, Set<string>>): UnansweredGroup {
  const langs = new Map<string, number>();
  for (const i of g.items) langs.set(i.lang, (langs.get(i.lang) ?? 0) + 1);
  const examples: string[] = [];
  const seen = new Set<string>();
  for (const i of g.items) {
    const f = foldText(i.text);
    if (seen.has(f)) continue;
    seen.add(f);
    examples.push(i.text);
    if (examples.length === 3) break;
  }
  // Keywords: significant words that at least half of the group's questions use (counted by term, shown as written).
  const termCount = new Map<string, number>();
  const shown = new Map<string, Map<string, number>>();
  for (const i of g.items) {
    const seen = new Set<string>();
    for (const w of i.words) {
      const key = `${i.lang}\u0000${w}`;
      let wordTerms = memo.get(key);
      if (!wordTerms) memo.set(key, (wordTerms = significantTerms(w, i.lang)));
      for (const t of wordTerms) {
        if (seen.has(t)) continue;
        seen.add(t);
        termCount.set(t, (termCount.get(t) ?? 0) + 1);
        const forms = shown.get(t) ?? new Map<string, number>();
        forms.set(w, (forms.get(w) ?? 0) + 1);
        shown.set(t, forms);
      }
    }
  }
  const common = [...termCount.entries()].map(([t, n]): [string, number] => {
    const forms = [...shown.get(t)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return [forms[0]![0], n];
  });
  const keywords = common
    .filter(([, n]) => n * 2 >= g.items.length)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([w]) => w);
  return {
    count: g.items.length,
    languages: [...langs.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l),
    keywords,
    examples,
  };
}

/** The whole report for a period. Read-only; the same SQL runs on PGlite and PostgreSQL. */
export async function buildReport(sql: Sql, kb: Pick<KnowledgeBase, "byId"> & Partial<Pick<KnowledgeBase, "areas">>, p: Period, o: ReportOptions = {}): Promise<InsightsReport> {
  const maxUnanswered = o.maxUnanswered ?? 5000;
  const args = [p.from, p.to];

  const totals = (await sql.query<Record<string, number | string>>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE fits)::int AS answered,
            count(*) FILTER (WHERE urgent)::int AS urgent,
            count(*) FILTER (WHERE handoff)::int AS handoff
       FROM turn_stats WHERE day BETWEEN $1::date AND $2::date`,
    args,
  )).rows[0] ?? {};
  const total = num(totals.total);
  const answered = num(totals.answered);
  const urgent = num(totals.urgent);
  const handoff = num(totals.handoff);

  const [byTopic, byLanguage, byMunicipality, byChannel] = [
    await countBy(sql, "topic", p),
    await countBy(sql, "lang", p),
    await countBy(sql, "municipality", p),
    await countBy(sql, "channel", p),
  ];
  const byDay = (await sql.query<{ key: string; count: number | string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS key, count(*)::int AS count FROM turn_stats
      WHERE day BETWEEN $1::date AND $2::date GROUP BY day ORDER BY day`,
    args,
  )).rows.map((r) => ({ key: r.key, count: num(r.count) }));

  const unansweredTotal = num((await sql.query<{ n: number | string }>(
    "SELECT count(*)::int AS n FROM unanswered WHERE day BETWEEN $1::date AND $2::date", args,
  )).rows[0]?.n);
  const unansweredRows = (await sql.query<{ lang: string; text: string }>(
    "SELECT lang, text FROM unanswered WHERE day BETWEEN $1::date AND $2::date ORDER BY day DESC, id DESC LIMIT $3",
    [p.from, p.to, maxUnanswered],
  )).rows;

  const h = (await sql.query<Record<string, number | string | null>>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE urgent)::int AS urgent,
            count(wait_seconds)::int AS with_wait,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_seconds) AS p90
       FROM handoff_stats WHERE day BETWEEN $1::date AND $2::date`,
    args,
  )).rows[0] ?? {};
  const outcomes = (await sql.query<{ key: string | null; count: number | string }>(
    `SELECT outcome AS key, count(*)::int AS count FROM handoff_stats WHERE day BETWEEN $1::date AND $2::date
      GROUP BY outcome ORDER BY count(*) DESC, outcome NULLS LAST`,
    args,
  )).rows.map((r) => ({ key: r.key, count: num(r.count) }));

  // feedback keeps a timestamp, not a day: the period's days in the database's time zone.
  const fb = (await sql.query<{ service_id: string; up: number | string; down: number | string }>(
    `SELECT s.service_id, count(*) FILTER (WHERE f.useful)::int AS up, count(*) FILTER (WHERE NOT f.useful)::int AS down
       FROM feedback f CROSS JOIN LATERAL unnest(f.service_ids) AS s(service_id)
      WHERE f.created_at >= $1::date AND f.created_at < ($2::date + 1)
      GROUP BY s.service_id ORDER BY count(*) DESC, s.service_id`,
    args,
  )).rows;

  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
  return {
    period: { from: p.from, to: p.to },
    turns: {
      total, answered, urgent, handoff,
      answeredShare: share(answered, total), urgentShare: share(urgent, total), handoffRate: share(handoff, total),
    },
    byTopic, byLanguage, byChannel, byDay,
    byMunicipality: byMunicipality.map((c) => {
      const name = c.key ? kb.areas?.municipalities.find((m) => m.id === c.key)?.name : undefined;
      return name ? { ...c, label: name } : c;
    }),
    unanswered: {
      total: unansweredTotal,
      grouped: unansweredRows.length,
      // The most recent were read; grouped oldest first, so that a group's examples are its first questions.
      groups: groupUnanswered(unansweredRows.reverse(), o.similarity ?? 0.5, o.maxGroups ?? 50),
    },
    handoffs: {
      total: num(h.total), urgent: num(h.urgent), withWait: num(h.with_wait),
      waitMedianSeconds: round(h.median), waitP90Seconds: round(h.p90), outcomes,
    },
    feedback: fb.map((r) => ({ serviceId: r.service_id, name: kb.byId.get(r.service_id)?.name ?? r.service_id, up: num(r.up), down: num(r.down) })),
  };
}

/* ---------- CSV ---------- */

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. Text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: (string | number | boolean | null | undefined)[]) => cells.map(csvField).join(",");
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** The report as CSV: sections one after another, each a title line, a header line and rows, a blank line between. */
export function reportToCsv(r: InsightsReport): string {
  const out: string[] = [];
  const section = (title: string, header: string[], rows: (string | number | null)[][]) => {
    if (out.length) out.push("");
    out.push(line([title]), line(header), ...rows.map(line));
  };
  section("period", ["from", "to"], [[r.period.from, r.period.to]]);
  section("turns", ["measure", "value"], [
    ["turns", r.turns.total], ["answered", r.turns.answered], ["answered_percent", pct(r.turns.answeredShare)],
    ["urgent", r.turns.urgent], ["urgent_percent", pct(r.turns.urgentShare)],
    ["handoff", r.turns.handoff], ["handoff_rate_percent", pct(r.turns.handoffRate)],
  ]);
  const counts = (title: string, key: string, rows: Count[]) => section(title, [key, "count"], rows.map((c) => [c.key, c.count]));
  counts("by_topic", "topic", r.byTopic);
  counts("by_language", "language", r.byLanguage);
  section("by_municipality", ["municipality", "name", "count"], r.byMunicipality.map((c) => [c.key, c.label ?? null, c.count]));
  counts("by_channel", "channel", r.byChannel);
  counts("by_day", "day", r.byDay);
  section("unanswered_groups", ["count", "languages", "keywords", "example_1", "example_2", "example_3"],
    r.unanswered.groups.map((g) => [g.count, g.languages.join(" "), g.keywords.join(" "), g.examples[0] ?? null, g.examples[1] ?? null, g.examples[2] ?? null]));
  section("handoffs", ["measure", "value"], [
    ["handoffs", r.handoffs.total], ["urgent", r.handoffs.urgent], ["with_wait", r.handoffs.withWait],
    ["wait_median_seconds", r.handoffs.waitMedianSeconds], ["wait_p90_seconds", r.handoffs.waitP90Seconds],
  ]);
  counts("handoff_outcomes", "outcome", r.handoffs.outcomes);
  section("feedback", ["service_id", "service", "up", "down"], r.feedback.map((f) => [f.serviceId, f.name, f.up, f.down]));
  return out.join("\r\n") + "\r\n";
}
