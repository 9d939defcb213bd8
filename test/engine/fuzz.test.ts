import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { memoryConversation } from "../../src/engine/memory-conversation.js";
import type { Engine } from "../../src/engine/engine.js";
import type { Inbound } from "../../src/engine/messages.js";
import { realEngine } from "../helpers.js";

let engine: Engine;
beforeAll(async () => {
  engine = (await realEngine()).engine;
});

const scripts = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("", " ", "\u0000\u0001\u0002", "\u202e\u202d", "<script>alert(1)</script>", "'; DROP TABLE messages; --", "😀".repeat(500), "a".repeat(4000),
    "ሎሚ ምሸት", "مرحبا hello 你好 привет", "\r\n\t", "\ud800", "\u200b\u200c\u200d"),
);

const inbound: fc.Arbitrary<Inbound> = fc.oneof(
  scripts.map((text) => ({ kind: "text" as const, text })),
  fc.string({ maxLength: 60 }).map((value) => ({ kind: "choice" as const, value })),
  fc.constantFrom("ans:isee:abc", "ans:age:", "lang:xx", "delete:confirm", "fb:", "ans:municipality:atlantis", ":::").map((value) => ({ kind: "choice" as const, value })),
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }).map((p) => ({ kind: "location" as const, ...p })),
  fc.constantFrom("start", "language", "human", "privacy", "delete").map((command) => ({ kind: "command" as const, command: command as "start" })),
);

describe("the engine under random and hostile input", () => {
  it("always answers with valid messages, never throws", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(inbound, { minLength: 1, maxLength: 4 }), async (turns) => {
        const conv = memoryConversation("fuzz");
        for (const t of turns) {
          const d = await engine.turn(conv, t);
          for (const m of d.messages) {
            expect(typeof m.text).toBe("string");
            expect(m.text.length).toBeGreaterThan(0);
            expect(["bot", "operator", "system"]).toContain(m.from);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
