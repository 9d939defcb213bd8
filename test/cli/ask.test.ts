import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = (args: string[], input?: string) =>
  execFileSync(process.execPath, ["--import", "tsx", "src/cli/ask.ts", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, DATA_DIR: join(tmpdir(), "orienta-test-data") },
    timeout: 120_000,
  });

describe("ask CLI", () => {
  it("answers JSON lines with ranked services, language, urgency and handoff", () => {
    const input = [
      JSON.stringify({ id: "1", text: "non ho dove dormire stanotte" }),
      "not json",
      JSON.stringify({ id: 2, text: "Where can I learn Italian for free?" }),
    ].join("\n");
    const lines = run(["--jsonl"], input).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const [first, bad, second] = lines;
    expect(first.id).toBe("1");
    expect(first.lang).toBe("it");
    expect(first.urgent).toBe(true);
    expect(first.handoff).toBe(true);
    expect(first.services.map((s: { name: string }) => s.name).join("|")).toMatch(/Sammartini|Jannacci/);
    expect(first.services.length).toBeLessThanOrEqual(5);
    expect(typeof first.reply).toBe("string");
    expect(bad.error).toBe("not valid JSON");
    expect(second).toMatchObject({ id: "2", lang: "en", urgent: false });
    expect(second.services[0]).toEqual({ id: expect.any(String), name: expect.any(String) });
  });

  it("prints an answer for one question", () => {
    const out = run(["dove posso fare una doccia?"]);
    expect(out).toMatch(/Docce|doccia/i);
  });
});
