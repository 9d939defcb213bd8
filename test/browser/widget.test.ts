import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  hasChromium, startTestServer, launchBrowser, newContext, watch, openWidget, say, waitIdle, widgetSession, countMessages,
  seriousA11yViolations, screenshotPath, W, type TestServer,
} from "./helpers.js";

/** What the person sees in the conversation, in order (sender + text), without the local introduction. */
function transcript(page: Page): Promise<string[]> {
  return page.locator(`${W.log} .orienta-msg:not(.orienta-intro)`).evaluateAll((els) =>
    els.map((e) => `${e.className.replace(/.*orienta-(user|bot|operator|system).*/, "$1")}: ${e.querySelector(".orienta-text")?.textContent ?? ""}`));
}

describe.skipIf(!hasChromium)("the embeddable web chat widget in a real browser", () => {
  let srv: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it("works with the keyboard alone, fits a 360x640 phone and passes axe-core", async () => {
    const ctx = await newContext(browser, "phone", { forAxe: true });
    const page = await ctx.newPage();
    const w = watch(page);
    await page.goto(`${srv.base}/`);
    expect(await page.title()).toMatch(/Orienta/);
    await page.locator(W.launcher).focus();
    await page.keyboard.press("Enter");
    await page.locator(W.panel).waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("orienta-input");
    await page.keyboard.type("cerco un corso di italiano gratis");
    await page.keyboard.press("Enter");
    await waitIdle(page);
    expect(await countMessages(page, "bot")).toBeGreaterThan(0);
    // The typing indicator was replaced by the answer; the quick "talk to a person" button and the label stay visible.
    expect(await page.locator(W.human).isVisible()).toBe(true);
    expect(await page.locator(".orienta-automated").innerText()).toMatch(/automatico/i);
    expect(await page.locator(W.exit).isVisible()).toBe(true);
    // Fits the phone: the panel fills the screen and nothing scrolls sideways.
    const box = (await page.locator(W.panel).boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(360);
    expect(box.height).toBeLessThanOrEqual(640);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Every message carries its language and direction.
    const attrs = await page.locator(`${W.log} .orienta-msg`).evaluateAll((els) => els.map((e) => [e.getAttribute("lang"), e.getAttribute("dir")]));
    for (const [lang, dir] of attrs) {
      expect(lang).toBeTruthy();
      expect(dir).toBeTruthy();
    }
    await page.screenshot({ path: screenshotPath("widget-phone.png") });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.locator(W.panel).waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.className)).toContain("orienta-launcher");
    expect(w.problems).toEqual([]);
    await ctx.close();
  });

  it("keeps the conversation across a page reload, buttons included", async () => {
    const ctx = await newContext(browser, "desktop");
    const page = await ctx.newPage();
    const w = watch(page);
    await openWidget(page, srv.base);
    await say(page, "Ciao, vivo a Rozzano e cerco aiuto per pagare l'affitto");
    await page.locator(".orienta-tool", { hasText: /Lingua/ }).click();
    await waitIdle(page);
    await page.locator(W.quick, { hasText: "English" }).click();
    await waitIdle(page);
    const before = await transcript(page);
    expect(before.some((l) => l === "user: English")).toBe(true);
    const session = await widgetSession(page);

    await page.reload();
    await page.locator(W.panel).waitFor({ state: "visible" });
    // Same messages, same order; only the label of the language command now follows the chosen language.
    await expect.poll(() => transcript(page)).toEqual(before.map((l) => (l === "user: Lingua" ? "user: Language" : l)));
    expect(await widgetSession(page)).toEqual(session);
    // The interface follows the language chosen in the conversation.
    expect(await page.locator(W.human).innerText()).toMatch(/Talk to a person/);
    const n = before.length;
    await say(page, "and where can I take a shower?");
    expect((await transcript(page)).length).toBeGreaterThan(n + 1);
    expect(w.problems).toEqual([]);
    await ctx.close();
  });

  it("sends a message again after a network failure, without duplicating it", async () => {
    const ctx = await newContext(browser, "desktop");
    const page = await ctx.newPage();
    await openWidget(page, srv.base);
    await say(page, "ciao");
    const session = (await widgetSession(page))!;
    let dropped = 0;
    // The request reaches the server but its answer is lost (like a mobile network switching cell).
    await page.route(/\/api\/webchat\/sessions\/[^/]+\/messages$/, async (route) => {
      if (route.request().method() !== "POST" || dropped > 0) return route.continue();
      dropped++;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await say(page, "cerco un dormitorio per stanotte");
    expect(dropped).toBe(1);
    expect(await page.locator(".orienta-failed").count()).toBe(0);
    const r = await fetch(`${srv.base}/api/webchat/sessions/${session.sessionId}/messages`, { headers: { authorization: `Bearer ${session.token}` } });
    const users = ((await r.json()) as { messages: { from: string; text: string }[] }).messages.filter((m) => m.text === "cerco un dormitorio per stanotte");
    expect(users).toHaveLength(1);
    await ctx.close();
  });

  it("deletes the conversation with the delete button and the bot's confirmation", async () => {
    const ctx = await newContext(browser, "desktop");
    const page = await ctx.newPage();
    await openWidget(page, srv.base);
    await say(page, "cerco lavoro");
    const session = (await widgetSession(page))!;
    await page.locator(W.del).click();
    await waitIdle(page);
    await page.locator(W.quick, { hasText: /Sì, cancella/ }).click();
    await waitIdle(page);
    expect(await widgetSession(page)).toBeNull();
    expect(await transcript(page)).toEqual([expect.stringMatching(/^system: /)]);
    const r = await fetch(`${srv.base}/api/webchat/sessions/${session.sessionId}/messages`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(r.status).toBe(404);
    await ctx.close();
  });

  it("quick exit erases the chat from the device and the server and leaves for a neutral page", async () => {
    const ctx = await newContext(browser, "phone");
    const page = await ctx.newPage();
    await openWidget(page, srv.base);
    await say(page, "Mio marito mi controlla il telefono e ho paura");
    const session = (await widgetSession(page))!;
    await page.evaluate(() => {
      sessionStorage.setItem("orienta.draft", "x");
      localStorage.setItem("host.site.pref", "keep");
    });
    const start = Date.now();
    await page.locator(W.exit).click();
    await page.waitForURL(/^https:\/\/www\.google\.com\/search\?q=meteo/);
    expect(Date.now() - start).toBeLessThan(5000);
    // location.replace: the chat page is not in the history, "back" does not bring it back.
    await page.goBack().catch(() => null);
    expect(page.url()).not.toContain(srv.base);
    await page.goto(`${srv.base}/healthz`);
    const left = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }));
    expect(left.local).toEqual(["host.site.pref"]);
    expect(left.session).toEqual([]);
    await expect
      .poll(async () => (await fetch(`${srv.base}/api/webchat/sessions/${session.sessionId}/messages`, { headers: { authorization: `Bearer ${session.token}` } })).status)
      .toBe(404);
    await ctx.close();
  });

  it("shows its own labels in each of the 18 languages, in the language's script", async () => {
    const SCRIPT: Record<string, RegExp> = {
      zh: /\p{Script=Han}/u, bn: /\p{Script=Bengali}/u, si: /\p{Script=Sinhala}/u, ti: /\p{Script=Ethiopic}/u,
      ar: /\p{Script=Arabic}/u, fa: /\p{Script=Arabic}/u, ur: /\p{Script=Arabic}/u, ps: /\p{Script=Arabic}/u,
      uk: /\p{Script=Cyrillic}/u, ru: /\p{Script=Cyrillic}/u,
    };
    // One page; the language is the one the widget saved (as after the person chose it), read again at each reload.
    const ctx = await newContext(browser, "desktop");
    const page = await ctx.newPage();
    await openWidget(page, srv.base);
    const labels = async (lang: string) => {
      await page.evaluate((l) => localStorage.setItem("orienta.widget.v1", JSON.stringify({ lang: l, open: true })), lang);
      await page.reload();
      if (!(await page.locator(W.input).isVisible())) await page.locator(W.launcher).click();
      await page.locator(W.input).waitFor({ state: "visible" });
      return {
        lang: await page.locator(W.panel).getAttribute("lang"),
        exit: await page.locator(W.exit).innerText(),
        human: await page.locator(W.human).innerText(),
        automated: await page.locator("#orienta-automated").innerText(),
        placeholder: (await page.locator(W.input).getAttribute("placeholder")) ?? "",
      };
    };
    const en = await labels("en");
    expect(en.lang).toBe("en");
    const LANGS = ["it", "fr", "es", "ar", "uk", "ru", "zh", "bn", "tl", "si", "ur", "fa", "ps", "so", "ti", "sq", "ro"];
    for (const lang of LANGS) {
      const l = await labels(lang);
      expect(l.lang).toBe(lang);
      for (const key of ["exit", "human", "automated", "placeholder"] as const) {
        // A missing label falls back to English: that is what this catches.
        expect(l[key], `${lang} ${key}`).not.toBe(en[key]);
        if (SCRIPT[lang]) expect(l[key], `${lang} ${key}`).toMatch(SCRIPT[lang]!);
      }
    }
    await ctx.close();
  }, 120_000);

  it("renders an Arabic conversation right to left", async () => {
    const ctx = await newContext(browser, "phone", { locale: "ar" });
    const page = await ctx.newPage();
    const w = watch(page);
    await openWidget(page, srv.base);
    await say(page, "أحتاج مساعدة، ليس لدي مكان للنوم الليلة");
    expect(await page.locator(W.panel).getAttribute("dir")).toBe("rtl");
    expect(await page.locator(W.panel).getAttribute("lang")).toBe("ar");
    const bots = await page.locator(`${W.log} .orienta-bot:not(.orienta-intro)`).evaluateAll((els) =>
      els.map((e) => ({ lang: e.getAttribute("lang"), dir: e.getAttribute("dir"), css: getComputedStyle(e).direction })));
    expect(bots.length).toBeGreaterThan(0);
    for (const b of bots) expect(b).toEqual({ lang: "ar", dir: "rtl", css: "rtl" });
    const user = page.locator(`${W.log} .orienta-user`).first();
    expect(await user.evaluate((e) => getComputedStyle(e).direction)).toBe("rtl");
    expect(await page.locator(W.human).innerText()).toMatch(/شخص/);
    await page.screenshot({ path: screenshotPath("widget-phone-ar.png") });
    expect(w.problems).toEqual([]);
    await ctx.close();
  });
});
