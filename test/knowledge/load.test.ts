import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { knowledgeDir } from "../../src/cli/paths.js";

describe("loadKnowledge with a cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "orienta-kb-"));
  const kbDir = join(dir, "knowledge");
  const cacheDir = join(dir, "cache");
  cpSync(knowledgeDir(), kbDir, { recursive: true });

  it("keeps a checked copy and reads it while the files are unchanged", () => {
    const first = loadKnowledge(kbDir, { cacheDir });
    const [copy] = readdirSync(cacheDir);
    expect(copy).toMatch(/\.json$/);
    const again = loadKnowledge(kbDir, { cacheDir });
    expect(again.services).toEqual(first.services);
    expect(again.byId.get(first.services[0]!.id)).toEqual(first.services[0]);
    // Proof that the copy is what is read: a change made only to the copy shows.
    const path = join(cacheDir, copy!);
    writeFileSync(path, readFileSync(path, "utf8").replace(`"name":"${first.services[0]!.name}"`, `"name":"from the copy"`));
    expect(loadKnowledge(kbDir, { cacheDir }).services[0]!.name).toBe("from the copy");
  });

  it("parses the files again when one of them changes, and keeps only the new copy", () => {
    const before = loadKnowledge(kbDir, { cacheDir });
    const s = before.services[1]!;
    const file = join(kbDir, "services", `${s.id}.yaml`);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^name: .*$/m, "name: Renamed in the YAML"));
    const after = loadKnowledge(kbDir, { cacheDir });
    expect(after.byId.get(s.id)!.name).toBe("Renamed in the YAML");
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("still refuses files that do not pass the checks", () => {
    const s = loadKnowledge(kbDir, { cacheDir }).services[2]!;
    writeFileSync(join(kbDir, "services", `${s.id}.yaml`), "id: [not, valid");
    expect(() => loadKnowledge(kbDir, { cacheDir })).toThrow(/not valid YAML/);
  });
});
