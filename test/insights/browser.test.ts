import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { operatorAuth } from "../../src/http/operator-auth.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { insightsRouter } from "../../src/insights/router.js";
import { realEngine, testConfig } from "../helpers.js";
import { hasChromium, launchBrowser, newContext, watch, seriousA11yViolations, screenshotPath, PASSWORD } from "../browser/helpers.js";

const XSS = "<img src=x onerror=alert(1)> dove trovo un dentista gratis";

let app: App;
let running: RunningServer;
let base: string;

/** Anonymous figures over the last 30 days, as the bot would have recorded them. */
async function seed(app: App): Promise<void> {
  const sql = app.store.sql;
  const topics = ["housing", "housing", "food", "work", "language_school", "health", "housing", "income", null];
  const langs = ["it", "it", "it", "ar", "en", "uk", "it", "fr", "zh"];
  const towns = ["milano", "milano", "rozzano", "opera", null, "pieve-emanuele", "milano", "basiglio"];
  for (let i = 0; i < 120; i++) {
    await sql.query(
      `INSERT INTO turn_stats (day, channel, lang, municipality, topic, service_ids, fits, urgent, handoff)
       VALUES (current_date - $1::int, $2, $3, $4, $5, '{}', $6, $7, $8)`,
      [i % 30, i % 4 === 0 ? "telegram" : "webchat", langs[i % langs.length], towns[i % towns.length], topics[i % topics.length], i % 5 !== 0, i % 17 === 0, i % 9 === 0],
    );
  }
  const unanswered: [string, string][] = [
    ["it", "Come posso rinnovare il permesso di soggiorno?"], ["it", "rinnovo permesso di soggiorno scaduto"],
    ["it", "come rinnovare il permesso di soggiorno, chiamatemi al [phone]"], ["en", "where can I renew my residence permit"],
    ["en", "renew residence permit"], ["it", XSS], ["ar", "أين يمكنني تجديد تصريح الإقامة"], ["it", "cerco lavoro come badante"],
  ];
  for (const [i, [lang, text]] of unanswered.entries()) await sql.query("INSERT INTO unanswered (day, lang, text) VALUES (current_date - $1::int, $2, $3)", [i, lang, text]);
  const outcomes = ["Informazioni date", "Orientata a un servizio", "Appuntamento fissato", "Informazioni date", "Inviata a emergenza", "Informazioni date"];
  for (let i = 0; i < 12; i++) {
    await sql.query("INSERT INTO handoff_stats (day, lang, urgent, wait_seconds, outcome) VALUES (current_date - $1::int, 'it', $2, $3, $4)",
      [i, i % 5 === 0, i === 11 ? null : 45 + i * 70, outcomes[i % outcomes.length]]);
  }
  const services = app.kb.services.slice(0, 6).map((s) => s.id);
  for (let i = 0; i < 30; i++) {
    await sql.query("INSERT INTO feedback (service_ids, useful, lang) VALUES ($1, $2, 'it')", [[services[i % services.length]!], i % 3 !== 0]);
  }
}

beforeAll(async () => {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-insights-web-")) });
  app = assemble(testConfig(), kb, engine, store);
  const hash = await hashPassword(PASSWORD);
  await store.createOperator({ username: "ana", passwordHash: hash, languages: ["it"], role: "operator" });
  await store.createOperator({ username: "root", passwordHash: hash, languages: ["it"], role: "admin" });
  await seed(app);
  // Sessions live in the database: a second auth over the same store sees the server's logins.
  const auth = operatorAuth(store, { sessionTtlMs: app.config.operatorSessionMs });
  running = await startServer(app, createLogger("silent"), 0, "127.0.0.1", [{ path: "/", handler: insightsRouter(store, kb, auth) }]);
  base = running.url;
});

afterAll(async () => {
  running?.server.closeAllConnections();
  await running?.close();
  await app?.store.close();
});

async function login(username: string): Promise<string> {
  const r = await fetch(`${base}/api/operator/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(r.status).toBe(200);
  return (r.headers.get("set-cookie") ?? "").split(";")[0]!;
}

describe("insights API", () => {
  it("needs a session (401), and the admin role (403 for an operator)", async () => {
    expect((await fetch(`${base}/api/admin/insights`)).status).toBe(401);
    expect((await fetch(`${base}/api/admin/insights.csv`)).status).toBe(401);
    const ana = await login("ana");
    const r = await fetch(`${base}/api/admin/insights`, { headers: { cookie: ana } });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect((await fetch(`${base}/api/admin/insights.csv`, { headers: { cookie: ana } })).status).toBe(403);
  });

  it("refuses bad periods with 400", async () => {
    const root = await login("root");
    for (const q of ["from=2026-13-01&to=2026-12-31", "from=2026-02-30&to=2026-03-01", "from=yesterday", "from=2026-03-10&to=2026-03-01",
      "from=2020-01-01&to=2026-01-01", "from=2026-01-01&to=2026-01-31&x=1", "from=2026-01-01&from=2026-01-02"]) {
      const r = await fetch(`${base}/api/admin/insights?${q}`, { headers: { cookie: root } });
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    }
  });

  it("answers an admin with the report (last 30 days by default) and the same data as a CSV attachment", async () => {
    const root = await login("root");
    const r = await fetch(`${base}/api/admin/insights`, { headers: { cookie: root } });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const body = (await r.json()) as { turns: { total: number }; byMunicipality: { key: string; label?: string }[]; unanswered: { total: number; groups: { count: number }[] }; feedback: { name: string }[] };
    expect(body.turns.total).toBe(120);
    expect(body.byMunicipality.find((m) => m.key === "rozzano")?.label).toBe("Rozzano");
    expect(body.unanswered.total).toBe(8);
    expect(body.unanswered.groups[0]!.count).toBe(3);
    expect(body.feedback[0]!.name).toBe(app.kb.byId.get(app.kb.services[0]!.id)!.name);

    const today = new Date().toISOString().slice(0, 10);
    const csv = await fetch(`${base}/api/admin/insights.csv?from=2020-01-01&to=2021-12-31`, { headers: { cookie: root } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="orienta-insights-2020-01-01-2021-12-31.csv"');
    const text = await csv.text();
    expect(text).toContain("period\r\nfrom,to\r\n2020-01-01,2021-12-31\r\n");
    expect(text).toContain("turns,0\r\n");
    const all = await (await fetch(`${base}/api/admin/insights.csv?to=${today}`, { headers: { cookie: root } })).text();
    expect(all).toContain("turns,120\r\n");
    expect(all).toContain('"come rinnovare il permesso di soggiorno, chiamatemi al [phone]"');
  });

  it("serves the page and the charting library to anyone (the page holds no data)", async () => {
    const page = await fetch(`${base}/admin/insights`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/vendor/chart.umd.js");
    const lib = await fetch(`${base}/vendor/chart.umd.js`);
    expect(lib.status).toBe(200);
    expect(lib.headers.get("content-type")).toMatch(/javascript/);
  });
});

describe.skipIf(!hasChromium)("insights page in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function loginIn(context: BrowserContext, username: string) {
    const r = await context.request.post(`${base}/api/operator/login`, { data: { username, password: PASSWORD } });
    expect(r.status()).toBe(200);
  }

  it("an admin sees charts, tables and the CSV link; no CSP problem, no script from the data, no serious a11y violation", async () => {
    const context = await newContext(browser, "desktop", { forAxe: true });
    await loginIn(context, "root");
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${base}/admin/insights`);
    await page.locator("#report:not([hidden])").waitFor({ timeout: 15_000 });

    // Seven charts, each drawn by Chart.js on a canvas with a text alternative.
    const canvases = page.locator("canvas");
    expect(await canvases.count()).toBe(7);
    const drawn = await page.evaluate(() => {
      const C = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return Array.from(document.querySelectorAll("canvas")).map((c) => !!C?.getChart(c) && c.width > 0 && c.height > 0 && !!c.getAttribute("aria-label"));
    });
    expect(drawn).toEqual(Array(7).fill(true));

    expect(await page.locator("#summary .tile").count()).toBe(6);
    await expect.poll(() => page.locator("#summary").innerText()).toContain("120");
    expect(await page.locator("#table-topic tbody tr").count()).toBeGreaterThan(3);
    expect(await page.locator("#table-municipality").innerText()).toContain("Rozzano");
    expect(await page.locator("#table-lang").innerText()).toContain("arabo");
    const groups = page.locator("#unanswered tbody tr");
    expect(await groups.count()).toBeGreaterThanOrEqual(5);
    expect(await groups.first().innerText()).toMatch(/permesso di soggiorno/);
    // The stored text is shown as text, never run.
    expect(await page.locator("#unanswered").innerText()).toContain("<img src=x onerror=alert(1)>");
    expect(await page.locator("#unanswered img").count()).toBe(0);
    expect(await page.locator("#outcomes tbody tr").count()).toBe(4);
    expect(await page.locator("#feedback tbody tr").count()).toBe(6);

    const csv = page.locator("#csv");
    expect(await csv.getAttribute("href")).toMatch(/^\/api\/admin\/insights\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const download = await Promise.all([page.waitForEvent("download"), csv.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toMatch(/^orienta-insights-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);

    await page.screenshot({ path: screenshotPath("insights.png"), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A period with nothing in it: the tables say so, the charts are redrawn.
    await page.locator("#from").fill("2020-01-01");
    await page.locator("#to").fill("2020-01-31");
    await page.locator("#apply").click();
    await expect.poll(() => page.locator("#summary .tile").first().innerText()).toMatch(/\b0\b/);
    expect(await page.locator("#table-topic").innerText()).toContain("Nessun dato");
    expect(page.url()).toContain("from=2020-01-01&to=2020-01-31");
    expect(await csv.getAttribute("href")).toContain("from=2020-01-01&to=2020-01-31");

    expect(w.dialogs).toEqual([]);
    expect(w.problems).toEqual([]);
    await context.close();
  });

  it("an operator who is not an admin gets 403 from the API and a clear message with a link to /operator", async () => {
    const context = await newContext(browser, "desktop");
    await loginIn(context, "ana");
    expect((await context.request.get(`${base}/api/admin/insights`)).status()).toBe(403);
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${base}/admin/insights`);
    await page.locator("#denied:not([hidden])").waitFor();
    expect(await page.locator("#denied-text").innerText()).toMatch(/riservato agli amministratori/);
    expect(await page.locator("#denied a").getAttribute("href")).toBe("/operator");
    expect(await page.locator("#report").isHidden()).toBe(true);
    expect(w.problems).toEqual([]);
    await context.close();
  });

  it("without a session the page asks to log in at /operator", async () => {
    const context = await newContext(browser, "phone", { forAxe: true });
    const page = await context.newPage();
    await page.goto(`${base}/admin/insights`);
    await page.locator("#denied:not([hidden])").waitFor();
    expect(await page.locator("#denied-text").innerText()).toMatch(/acceda prima alla console operatori/);
    await page.getByRole("link", { name: "Vai alla console operatori" }).click();
    await page.waitForURL(/\/operator$/);
    await page.goto(`${base}/admin/insights`);
    await page.locator("#denied:not([hidden])").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
