import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fillPrompt, loadPrompt, type PromptName } from "../../src/llm/prompts.js";

describe("prompts", () => {
  it.each<[PromptName, string[]]>([
    ["answer", ["language", "language_code", "entries", "question"]],
    ["understand", ["text"]],
    ["translate", ["from", "from_code", "to", "to_code", "text"]],
  ])("%s: versioned, two sections, the placeholders the code fills", (name, placeholders) => {
    const t = loadPrompt(name);
    expect(t.id).toBe(`${name}.v1`);
    expect(t.system.length).toBeGreaterThan(100);
    expect(t.user.length).toBeGreaterThan(5);
    expect(t.placeholders.sort()).toEqual([...placeholders].sort());
    expect(`${t.system}${t.user}`).not.toContain("<!--");
  });

  it("the answer prompt states the rules", () => {
    const { system } = loadPrompt("answer");
    expect(system).toMatch(/ONLY the knowledge entries/);
    expect(system).toMatch(/\[casa-jannacci\]/);
    expect(system).toMatch(/phone number, street address, web address, e-mail address, amount/);
    expect(system).toMatch(/informative/);
  });

  it("fills placeholders once: a person's text is never expanded", () => {
    const p = fillPrompt(loadPrompt("understand"), { text: "ciao {{text}} {{secret}}" });
    expect(p.user).toBe("ciao {{text}} {{secret}}");
    expect(p.id).toBe("understand.v1");
  });

  it("a missing or unknown value throws", () => {
    expect(() => fillPrompt(loadPrompt("understand"), {})).toThrow(/no value for text/);
    expect(() => fillPrompt(loadPrompt("understand"), { text: "x", other: "y" })).toThrow(/unknown placeholder other/);
  });

  it("picks the highest version unless one is asked for", () => {
    const dir = mkdtempSync(join(tmpdir(), "orienta-prompts-"));
    writeFileSync(join(dir, "translate.v1.md"), "## system\nold {{text}}\n## user\n{{text}}");
    writeFileSync(join(dir, "translate.v2.md"), "<!-- v2 -->\n## system\nnew {{text}}\n## user\n{{text}}");
    writeFileSync(join(dir, "answer.v1.md"), "no sections");
    expect(loadPrompt("translate", undefined, dir).id).toBe("translate.v2");
    expect(loadPrompt("translate", 1, dir).system).toBe("old {{text}}");
    expect(() => loadPrompt("answer", undefined, dir)).toThrow(/## system/);
    expect(() => loadPrompt("understand", undefined, dir)).toThrow(/no prompt understand/);
  });
});
