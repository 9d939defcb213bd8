import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/store.js";
import type { KnowledgeBase } from "../../src/knowledge/load.js";
import { buildReport, csvField, groupUnanswered, reportToCsv, significantTerms, jaccard, type InsightsReport } from "../../src/insights/report.js";

/** A knowledge base with only what the report reads: service names and municipality names. */
const kb = {
  byId: new Map([["svc-food", { name: "Pane quotidiano" }], ["svc-house", { name: "Casa, \"prima\" accoglienza" }]]),
  areas: { municipalities: [{ id: "rozzano", name: "Rozzano" }, { id: "milano", name: "Milano" }] },
} as unknown as Pick<KnowledgeBase, "byId" | "areas">;

const PERIOD = { from: "2026-03-01", to: "2026-03-31" };

/** A minimal RFC 4180 reader, to check that what we write reads back the same. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') [field, i] = [field + '"', i + 1];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") [row, field] = [[...row, field], ""];
    else if (ch === "\r" && text[i + 1] === "\n") {
      rows.push([...row, field]);
      [row, field, i] = [[], "", i + 1];
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe("needs report over the anonymous tables (PGlite)", () => {
  let store: Store;
  let report: InsightsReport;

  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-insights-")) });
    const turn = (day: string, channel: string, lang: string, municipality: string | null, topic: string | null, fits: boolean, urgent: boolean, handoff: boolean) =>
      store.sql.query(
        "INSERT INTO turn_stats (day, channel, lang, municipality, topic, service_ids, fits, urgent, handoff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [day, channel, lang, municipality, topic, [], fits, urgent, handoff],
      );
    // 10 turns in March...
    await turn("2026-03-01", "webchat", "it", "milano", "housing", true, false, false);
    await turn("2026-03-01", "webchat", "it", "milano", "housing", true, false, false);
    await turn("2026-03-02", "webchat", "ar", "rozzano", "housing", false, false, true);
    await turn("2026-03-02", "telegram", "ar", "rozzano", "food", true, false, false);
    await turn("2026-03-05", "telegram", "en", null, "food", true, false, false);
    await turn("2026-03-10", "webchat", "it", "milano", "violence", true, true, true);
    await turn("2026-03-10", "webchat", "uk", "opera", "work", true, false, false);
    await turn("2026-03-20", "webchat", "it", null, null, false, false, true);
    await turn("2026-03-31", "telegram", "it", "milano", "housing", true, false, false);
    await turn("2026-03-31", "webchat", "it", "milano", "work", false, false, false);
    // ...and some just outside the period, which must not count.
    await turn("2026-02-28", "webchat", "it", "milano", "housing", true, true, true);
    await turn("2026-04-01", "slack", "fr", "milano", "food", false, true, true);

    const unanswered = (day: string, lang: string, text: string) => store.sql.query("INSERT INTO unanswered (day, lang, text) VALUES ($1, $2, $3)", [day, lang, text]);
    await unanswered("2026-03-02", "it", "Come posso rinnovare il permesso di soggiorno?");
    await unanswered("2026-03-03", "it", "come rinnovare permesso di soggiorno");
    await unanswered("2026-03-04", "it", "rinnovo del permesso di soggiorno scaduto, chiamate il [phone]");
    await unanswered("2026-03-05", "en", "where can I renew my residence permit");
    await unanswered("2026-03-06", "en", "renew residence permit please");
    await unanswered("2026-03-07", "it", "cerco lavoro come badante");
    await unanswered("2026-04-02", "it", "rinnovare permesso di soggiorno"); // outside

    const handoff = (day: string, urgent: boolean, wait: number | null, outcome: string | null) =>
      store.sql.query("INSERT INTO handoff_stats (day, lang, urgent, wait_seconds, outcome) VALUES ($1, 'it', $2, $3, $4)", [day, urgent, wait, outcome]);
    await handoff("2026-03-02", false, 60, "Informazioni date");
    await handoff("2026-03-03", true, 120, "Inviata a emergenza");
    await handoff("2026-03-04", false, 180, "Informazioni date");
    await handoff("2026-03-05", false, 240, "Appuntamento fissato");
    await handoff("2026-03-06", false, 600, "Informazioni date");
    await handoff("2026-03-07", false, null, "Nessuna risposta della persona");
    await handoff("2026-04-07", false, 9999, "Informazioni date"); // outside

    const feedback = (at: string, ids: string[], useful: boolean) =>
      store.sql.query("INSERT INTO feedback (service_ids, useful, lang, created_at) VALUES ($1, $2, 'it', $3)", [ids, useful, at]);
    await feedback("2026-03-03T12:00:00Z", ["svc-food", "svc-house"], true);
    await feedback("2026-03-04T12:00:00Z", ["svc-food"], true);
    await feedback("2026-03-05T12:00:00Z", ["svc-food"], false);
    await feedback("2026-03-06T12:00:00Z", ["svc-gone"], false);
    await feedback("2026-04-05T12:00:00Z", ["svc-food"], false); // outside

    report = await buildReport(store.sql, kb, PERIOD);
  });

  afterAll(async () => {
    await store?.close();
  });

  it("counts turns in the period only, with the shares answered, urgent and handed off", () => {
    expect(report.period).toEqual(PERIOD);
    expect(report.turns).toEqual({ total: 10, answered: 7, urgent: 1, handoff: 3, answeredShare: 0.7, urgentShare: 0.1, handoffRate: 0.3 });
  });

  it("breaks questions down by topic, language, municipality (with names) and channel, largest first", () => {
    expect(report.byTopic).toEqual([
      { key: "housing", count: 4 }, { key: "food", count: 2 }, { key: "work", count: 2 }, { key: "violence", count: 1 }, { key: null, count: 1 },
    ]);
    expect(report.byLanguage).toEqual([{ key: "it", count: 6 }, { key: "ar", count: 2 }, { key: "en", count: 1 }, { key: "uk", count: 1 }]);
    expect(report.byMunicipality).toEqual([
      { key: "milano", count: 5, label: "Milano" }, { key: "rozzano", count: 2, label: "Rozzano" }, { key: null, count: 2 }, { key: "opera", count: 1 },
    ]);
    expect(report.byChannel).toEqual([{ key: "webchat", count: 7 }, { key: "telegram", count: 3 }]);
    expect(report.byDay.map((d) => d.key)).toEqual(["2026-03-01", "2026-03-02", "2026-03-05", "2026-03-10", "2026-03-20", "2026-03-31"]);
    expect(report.byDay.reduce((s, d) => s + d.count, 0)).toBe(10);
  });

  it("groups similar unanswered questions, with count, languages and up to 3 examples", () => {
    expect(report.unanswered.total).toBe(6);
    expect(report.unanswered.grouped).toBe(6);
    const [first, second, third] = report.unanswered.groups;
    expect(first).toMatchObject({ count: 3, languages: ["it"] });
    expect(first!.examples).toHaveLength(3);
    expect(first!.examples.every((e) => /permesso di soggiorno/.test(e))).toBe(true);
    expect(first!.keywords).toEqual(expect.arrayContaining(["permesso", "soggiorno"]));
    expect(second).toMatchObject({ count: 2, languages: ["en"] });
    expect(second!.keywords).toEqual(expect.arrayContaining(["permit", "renew", "residence"]));
    expect(third).toMatchObject({ count: 1, languages: ["it"], examples: ["cerco lavoro come badante"] });
    expect(report.unanswered.groups).toHaveLength(3);
  });

  it("computes the waiting time before an operator (median, p90) and the outcomes", () => {
    expect(report.handoffs.total).toBe(6);
    expect(report.handoffs.urgent).toBe(1);
    expect(report.handoffs.withWait).toBe(5);
    expect(report.handoffs.waitMedianSeconds).toBe(180);
    // percentile_cont: 240 + 0.6 × (600 − 240)
    expect(report.handoffs.waitP90Seconds).toBe(456);
    expect(report.handoffs.outcomes[0]).toEqual({ key: "Informazioni date", count: 3 });
    expect(report.handoffs.outcomes.reduce((s, o) => s + o.count, 0)).toBe(6);
  });

  it("counts thumbs up and down per service, with names from the knowledge base", () => {
    expect(report.feedback).toEqual([
      { serviceId: "svc-food", name: "Pane quotidiano", up: 2, down: 1 },
      { serviceId: "svc-gone", name: "svc-gone", up: 0, down: 1 },
      { serviceId: "svc-house", name: "Casa, \"prima\" accoglienza", up: 1, down: 0 },
    ]);
  });

  it("answers an empty period with zeros and no shares", async () => {
    const empty = await buildReport(store.sql, kb, { from: "2025-01-01", to: "2025-01-31" });
    expect(empty.turns).toEqual({ total: 0, answered: 0, urgent: 0, handoff: 0, answeredShare: null, urgentShare: null, handoffRate: null });
    expect(empty.unanswered).toEqual({ total: 0, grouped: 0, groups: [] });
    expect(empty.handoffs).toMatchObject({ total: 0, waitMedianSeconds: null, waitP90Seconds: null, outcomes: [] });
    expect(empty.feedback).toEqual([]);
    expect(reportToCsv(empty)).toContain("\r\nturns\r\nmeasure,value\r\nturns,0\r\n");
  });

  it("writes the report as CSV sections that read back exactly", () => {
    const csv = reportToCsv(report);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv);
    const section = (title: string) => {
      const i = rows.findIndex((r) => r.length === 1 && r[0] === title);
      expect(i, title).toBeGreaterThanOrEqual(0);
      const out: string[][] = [];
      for (let j = i + 1; j < rows.length && !(rows[j]!.length === 1 && rows[j]![0] === ""); j++) out.push(rows[j]!);
      return out;
    };
    expect(section("period")).toEqual([["from", "to"], ["2026-03-01", "2026-03-31"]]);
    expect(section("turns")).toContainEqual(["answered_percent", "70"]);
    expect(section("by_municipality")).toContainEqual(["milano", "Milano", "5"]);
    expect(section("by_topic")).toContainEqual(["", "1"]);
    expect(section("feedback")).toContainEqual(["svc-house", "Casa, \"prima\" accoglienza", "1", "0"]);
    // The example with a comma comes back whole.
    expect(section("unanswered_groups")[1]).toContain("rinnovo del permesso di soggiorno scaduto, chiamate il [phone]");
    expect(section("handoffs")).toContainEqual(["wait_p90_seconds", "456"]);
  });
});

describe("CSV fields", () => {
  it("quotes commas, quotes and line breaks, and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+39 02")).toBe("'+39 02");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@cmd")).toBe("'@cmd");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(0.5)).toBe("0.5");
    expect(csvField(null)).toBe("");
    expect(csvField("مرحبا، كيف")).toBe("مرحبا، كيف");
  });

  it("reads back any text through a CSV row", () => {
    const nasty = ['a "b", c', "x\r\ny", "", " spaced ", "=1+1", "中文,bengali বাংলা"];
    const line = nasty.map(csvField).join(",") + "\r\n";
    expect(parseCsv(line)).toEqual([nasty.map((s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s))]);
  });
});

describe("grouping of unanswered questions", () => {
  it("uses the search index's terms: stems meet, stop words do not count", () => {
    expect(significantTerms("Come posso rinnovare il permesso di soggiorno?", "it")).toEqual(new Set(["poss", "rinnov", "permess", "soggiorn"]));
    expect(jaccard(new Set(["a", "b"]), new Set(["b", "c"]))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it("groups greedily at Jaccard ≥ 0.5, keeps different needs apart, and groups empty texts only when equal", () => {
    const groups = groupUnanswered([
      { lang: "it", text: "dove dormire stanotte a Milano" },
      { lang: "it", text: "dormire stanotte Milano" },
      { lang: "it", text: "corso di italiano serale" },
      { lang: "it", text: "?!" },
      { lang: "it", text: "?!" },
      { lang: "xx", text: "dormire stanotte milano" },
    ]);
    expect(groups.map((g) => g.count)).toEqual([3, 2, 1]);
    expect(groups[0]!.languages).toEqual(["it", "xx"]);
    expect(groups[0]!.examples).toHaveLength(2); // the same question twice is one example
    expect(groups[1]!.examples).toEqual(["?!"]);
  });

  it("keeps at most maxGroups groups, the largest", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ lang: "en", text: `topic${i} word${i}` }));
    rows.push({ lang: "en", text: "topic3 word3" });
    const groups = groupUnanswered(rows, 0.5, 5);
    expect(groups).toHaveLength(5);
    expect(groups[0]).toMatchObject({ count: 2, examples: ["topic3 word3"] });
  });
});
