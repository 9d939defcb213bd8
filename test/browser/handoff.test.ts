import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  hasChromium, startTestServer, launchBrowser, newContext, watch, openWidget, say, waitIdle, widgetSession, operatorLogin,
  countMessages, seriousA11yViolations, screenshotPath, W, type TestServer,
} from "./helpers.js";

const XSS = ['<img src=x onerror=alert(1)>', '<script>alert("x")</script><b>bold</b>', '"><svg onload=alert(3)>'];

describe.skipIf(!hasChromium)("web chat and operator console in a real browser", () => {
  let srv: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
  });

  async function claim(op: Page, sessionId: string) {
    const item = op.locator(`.qi-btn[data-id="${sessionId}"]`);
    await item.waitFor({ state: "visible", timeout: 15_000 });
    await item.click();
    await op.locator("#claim").click();
    await op.locator("#reply:not([disabled])").waitFor();
  }

  it("a person asks for a human, an operator claims and replies live, then gives the conversation back to the bot", async () => {
    const personCtx = await newContext(browser, "desktop");
    const page = await personCtx.newPage();
    const pw = watch(page);
    // Every live connection goes through this route, so the test can cut it like a flaky mobile network.
    const cuts: (() => void)[] = [];
    await page.routeWebSocket(/\/ws\/webchat/, (ws) => {
      const server = ws.connectToServer();
      cuts.push(() => {
        void ws.close();
        void server.close();
      });
    });

    await openWidget(page, srv.base);
    expect(await page.locator(".orienta-automated").isVisible()).toBe(true);
    await say(page, "Buongiorno, cerco un corso di italiano gratuito");
    expect(await countMessages(page, "bot")).toBeGreaterThan(1);
    expect(await page.locator(W.log).getAttribute("role")).toBe("log");
    expect(await page.locator(W.log).getAttribute("aria-live")).toBe("polite");
    await page.locator(W.human).click();
    await waitIdle(page);
    await page.getByText(/in coda|non sono in servizio|operatore/i).last().waitFor();
    const session = (await widgetSession(page))!;
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const opCtx = await newContext(browser, "desktop");
    const op = await opCtx.newPage();
    const ow = watch(op);
    await operatorLogin(op, srv.base, "ana");
    await claim(op, session.sessionId);
    await page.locator(".orienta-system", { hasText: /operatore/i }).first().waitFor();
    await expect.poll(() => page.locator(".orienta-status").innerText()).toMatch(/operatore/i);

    // The live connection drops just before the operator writes: the reconnection catches up, without duplicates.
    expect(cuts.length).toBeGreaterThan(0);
    cuts.at(-1)!();
    await op.locator("#reply").fill("Buongiorno, sono Ana del servizio sociale. Come posso aiutarla?");
    await op.locator("#reply-send").click();
    const reply = page.locator(".orienta-operator", { hasText: "sono Ana del servizio sociale" });
    await reply.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    expect(await reply.count()).toBe(1);
    expect(cuts.length).toBeGreaterThan(1);

    await say(page, "Grazie, lavoro di giorno: cerco un corso serale");
    await op.locator(".tm-user", { hasText: "cerco un corso serale" }).waitFor();
    await op.locator("#note").fill("Interna: lavora di giorno, proporre CPIA serale");
    await op.getByRole("button", { name: "Salva nota" }).click();
    await op.locator(".note", { hasText: "proporre CPIA serale" }).waitFor();
    await op.screenshot({ path: screenshotPath("operator-console.png") });
    // Notes never reach the person.
    expect(await page.locator(W.log).innerText()).not.toContain("proporre CPIA");

    await op.locator("#release").click();
    await page.locator(".orienta-system", { hasText: /assistente automatico/i }).waitFor();
    const before = await countMessages(page, "bot");
    await say(page, "dove posso fare una doccia?");
    expect(await countMessages(page, "bot")).toBeGreaterThan(before);

    const ids = await page.locator(`${W.log} .orienta-msg[data-id]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pw.problems).toEqual([]);
    expect(ow.problems).toEqual([]);
    await opCtx.close();
    await personCtx.close();
  });

  it("shows markup typed by the person and sent by the operator as literal text, and never runs it", async () => {
    const personCtx = await newContext(browser, "desktop");
    const page = await personCtx.newPage();
    const pw = watch(page);
    await openWidget(page, srv.base);
    await say(page, XSS[0]!);
    await page.locator(W.human).click();
    await waitIdle(page);
    const session = (await widgetSession(page))!;

    const opCtx = await newContext(browser, "desktop");
    const op = await opCtx.newPage();
    const ow = watch(op);
    await operatorLogin(op, srv.base, "ana");
    await claim(op, session.sessionId);
    await say(page, XSS[1]!);
    for (const x of XSS) {
      await op.locator("#reply").fill(x);
      await op.locator("#reply-send").click();
      await page.locator(".orienta-operator", { hasText: x }).waitFor();
    }
    await op.locator(".tm-user", { hasText: XSS[1]! }).waitFor();
    await op.locator("#note").fill(XSS[2]!);
    await op.getByRole("button", { name: "Salva nota" }).click();
    await op.locator(".note", { hasText: XSS[2]! }).waitFor();

    const personText = await page.locator(W.log).innerText();
    const opText = await op.locator("#transcript").innerText();
    for (const x of XSS) expect(personText).toContain(x);
    expect(opText).toContain(XSS[0]);
    expect(opText).toContain(XSS[1]);
    for (const p of [page, op]) {
      expect(await p.locator("img, svg, b, script:not([src])").count()).toBe(0);
    }
    await page.waitForTimeout(300);
    expect(pw.dialogs).toEqual([]);
    expect(ow.dialogs).toEqual([]);
    expect(pw.problems).toEqual([]);
    expect(ow.problems).toEqual([]);
    await opCtx.close();
    await personCtx.close();
  });

  it("the console signals a new urgent conversation (title, alert, beep) and passes axe-core with a claimed conversation", async () => {
    const opCtx = await newContext(browser, "desktop", { forAxe: true });
    const op = await opCtx.newPage();
    await op.addInitScript(() => {
      const w = window as unknown as { __beeps: number };
      w.__beeps = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__beeps++;
        return create.call(this);
      };
    });
    await operatorLogin(op, srv.base, "ana");
    await op.locator("#live-status", { hasText: /tempo reale/ }).waitFor();
    expect(await seriousA11yViolations(op)).toEqual([]);

    const personCtx = await newContext(browser, "desktop");
    const page = await personCtx.newPage();
    await openWidget(page, srv.base);
    await say(page, "Mio marito mi picchia, ho paura. Vivo a Rozzano con due bambini");
    await page.locator(W.human).click();
    await waitIdle(page);
    const session = (await widgetSession(page))!;

    await expect.poll(() => op.title(), { timeout: 15_000 }).toMatch(/URGENT/);
    expect(await op.locator("#alert").innerText()).toMatch(/URGENTE/);
    expect(await op.evaluate(() => (window as unknown as { __beeps: number }).__beeps)).toBeGreaterThan(0);
    await op.locator(`.qi.urgent .qi-btn[data-id="${session.sessionId}"]`).waitFor();
    await claim(op, session.sessionId);
    await op.locator("#reply").fill("Buongiorno, sono Ana. È al sicuro adesso?");
    await op.locator("#reply-send").click();
    await page.locator(".orienta-operator", { hasText: "È al sicuro adesso?" }).waitFor();
    await op.locator("#note").fill("Rischio alto: proposto 1522 e CAV");
    await op.getByRole("button", { name: "Salva nota" }).click();
    await op.locator(".note", { hasText: "Rischio alto" }).waitFor();
    expect(await seriousA11yViolations(op)).toEqual([]);
    await opCtx.close();
    await personCtx.close();
  });
});
