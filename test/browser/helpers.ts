import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { createLogger } from "../../src/log.js";
import { openStore, type Operator } from "../../src/store/store.js";
import { assemble, type App } from "../../src/app.js";
import { hashPassword } from "../../src/handoff/passwords.js";
import { projectRoot } from "../../src/cli/paths.js";
import { realEngine, testConfig } from "../helpers.js";

export const CHROMIUM = "/usr/bin/chromium";
/** The browser tests need Debian's chromium (apt-get install -y chromium fonts-noto-core); playwright-core downloads none. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium fonts-noto-core)`);

export const SCREENSHOTS = join(projectRoot(), "test-results");
export const PASSWORD = "a long enough password";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface TestServer {
  app: App;
  running: RunningServer;
  base: string;
  operators: Record<string, Operator>;
  stop(): Promise<void>;
}

/** The real server (real knowledge base, PGlite in a temp folder) on a free port, with operators ana (it, ar) and bo (en). */
export async function startTestServer(): Promise<TestServer> {
  const { kb, engine } = await realEngine();
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "orienta-browser-")) });
  const app = assemble(testConfig(), kb, engine, store);
  const hash = await hashPassword(PASSWORD);
  const operators = {
    ana: await store.createOperator({ username: "ana", passwordHash: hash, languages: ["it", "ar"], role: "operator" }),
    bo: await store.createOperator({ username: "bo", passwordHash: hash, languages: ["en"], role: "operator" }),
  };
  const running = await startServer(app, createLogger("silent"), 0, "127.0.0.1");
  return {
    app,
    running,
    base: running.url,
    operators,
    stop: async () => {
      running.server.closeAllConnections();
      await running.close();
      await app.store.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

/** A phone-sized context (360x640) or a desktop one; the neutral quick-exit page is answered locally (no network in tests). */
export async function newContext(browser: Browser, kind: "phone" | "desktop" = "desktop", o: { locale?: string; forAxe?: boolean } = {}): Promise<BrowserContext> {
  const locale = o.locale ?? "it-IT";
  // axe-core is injected as a script tag, which the pages' strict CSP (rightly) refuses: only the contexts that run it bypass it.
  const bypassCSP = !!o.forAxe;
  const context = await browser.newContext(
    kind === "phone"
      ? { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, bypassCSP }
      : { viewport: { width: 1280, height: 800 }, locale, bypassCSP },
  );
  await context.route(/^https:\/\/www\.google\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>meteo milano</title><p>meteo</p>" }));
  return context;
}

export interface Watch {
  dialogs: string[];
  problems: string[];
}

/** Records every dialog (alert/confirm/prompt: an XSS would open one), page errors and CSP violations. */
export function watch(page: Page): Watch {
  const w: Watch = { dialogs: [], problems: [] };
  page.on("dialog", (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => w.problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) w.problems.push(`csp: ${m.text()}`);
  });
  return w;
}

/** axe-core in the page; returns the violations of impact serious or critical (ids and first targets). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.impact} ${v.id}: ${v.targets.join(", ")}`);
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

/* ---------- the widget, as a person uses it ---------- */

export const W = {
  launcher: ".orienta-launcher",
  panel: "#orienta-panel",
  input: "#orienta-input",
  log: ".orienta-log",
  human: ".orienta-human",
  exit: ".orienta-exit",
  del: ".orienta-delete",
  quick: ".orienta-qr",
};

export async function openWidget(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator(W.launcher).click();
  await page.locator(W.input).waitFor({ state: "visible" });
}

/** Number of messages from `from` (bot, operator, system, user) in the widget. */
export function countMessages(page: Page, from: string): Promise<number> {
  return page.locator(`${W.log} .orienta-${from}`).count();
}

/** Types and sends a message; waits until the POST answer arrived (typing indicator gone). */
export async function say(page: Page, text: string): Promise<void> {
  await page.locator(W.input).fill(text);
  await page.locator(W.input).press("Enter");
  await waitIdle(page);
}

export async function waitIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const t = document.querySelector(".orienta-typing");
    return !!t && (t as HTMLElement).hidden && !document.querySelector(".orienta-sending");
  });
}

export async function widgetSession(page: Page): Promise<{ sessionId: string; token: string } | null> {
  return page.evaluate(() => {
    const raw = localStorage.getItem("orienta.widget.v1");
    return raw ? (JSON.parse(raw) as { session: { sessionId: string; token: string } | null }).session : null;
  });
}

/* ---------- the operator console ---------- */

export async function operatorLogin(page: Page, base: string, username = "ana"): Promise<void> {
  await page.goto(`${base}/operator`);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(PASSWORD);
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.locator("#app-view").waitFor({ state: "visible" });
}
