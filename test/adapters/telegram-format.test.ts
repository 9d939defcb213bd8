import { describe, it, expect } from "vitest";
import { callbackData, commandMenu, COMMAND_DESCRIPTIONS, inlineKeyboard, langFromCode, parseCommand, splitMessage } from "../../adapters/telegram/format.js";
import { LANGUAGES } from "../../src/language/languages.js";

describe("Telegram formatting", () => {
  it("splits at paragraphs, then lines, then spaces, never over the limit", () => {
    expect(splitMessage("short")).toEqual(["short"]);
    expect(splitMessage("aaaaaa\n\nbb\ncccc", 12)).toEqual(["aaaaaa", "bb\ncccc"]);
    expect(splitMessage("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    const hard = splitMessage("x".repeat(25), 10);
    expect(hard).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    const emoji = splitMessage("😀".repeat(8), 5);
    for (const c of emoji) expect(c.length).toBeLessThanOrEqual(5);
    expect(emoji.join("")).toBe("😀".repeat(8));
  });

  it("keeps callback data within 64 bytes", () => {
    expect(callbackData("lang:ar")).toBe("lang:ar");
    const long = callbackData("ans:municipality:" + "Rozzano ".repeat(10));
    expect(long.startsWith("h:")).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(64);
  });

  it("lays out language buttons three a row", () => {
    const kb = inlineKeyboard(LANGUAGES.map((l) => ({ label: l, value: `lang:${l}` })))!;
    expect(kb.inline_keyboard.length).toBe(6);
    expect(inlineKeyboard([])).toBeUndefined();
  });

  it("parses commands, deep-link languages and commands for other bots", () => {
    expect(parseCommand("/start")).toEqual({ kind: "command", command: "start" });
    expect(parseCommand("/start ar")).toEqual({ kind: "command", command: "start", arg: "ar" });
    expect(parseCommand("/language@orienta_bot fr", "orienta_bot")).toEqual({ kind: "command", command: "language", arg: "fr" });
    expect(parseCommand("/human@other_bot", "orienta_bot")).toBeUndefined();
    expect(parseCommand("/delete")).toEqual({ kind: "command", command: "delete" });
    expect(parseCommand("/help")).toEqual({ kind: "command", command: "start" });
    expect(parseCommand("ciao")).toBeUndefined();
  });

  it("maps Telegram language codes to the bot's languages", () => {
    expect(langFromCode("en-US")).toBe("en");
    expect(langFromCode("ar")).toBe("ar");
    expect(langFromCode("de")).toBeUndefined();
    expect(langFromCode(undefined)).toBeUndefined();
  });

  it("has a command menu in every language, within Telegram's limits", () => {
    for (const l of LANGUAGES) {
      expect(COMMAND_DESCRIPTIONS[l]).toBeDefined();
      for (const c of commandMenu(l)) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThan(2);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
    }
  });
});
