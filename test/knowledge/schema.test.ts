import { describe, it, expect } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadKnowledge, KnowledgeLoadError, validateServiceFile } from "../../src/knowledge/load.js";

const minimal = `id: test-service
name: Servizio di prova
area: { scope: milano }
categories: [orientation]
text:
  it:
    summary: Un servizio di prova per i test automatici.
    how_to_access: Si chiama al numero indicato nei contatti.
    keywords: [prova, test, esempio]
criteria:
  residence: { required: none, source: s1 }
  legal_status: { accepted: [any], source: s1 }
contacts:
  - phone: ["02 02 02"]
    source: s1
sources:
  - { id: s1, kind: seed, file: seeds/000_996a13f4df1aa2af.txt, lines: "233" }
last_verified: 2026-11-23
`;

function kbDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "orienta-kb-"));
  mkdirSync(join(dir, "services"));
  writeFileSync(join(dir, "areas.yaml"), readFileSync("knowledge/areas.yaml", "utf8"));
  writeFileSync(join(dir, "glossary.yaml"), "terms: []\n");
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, "services", name), body);
  return dir;
}

function loadErrors(dir: string) {
  try {
    loadKnowledge(dir);
  } catch (e) {
    if (e instanceof KnowledgeLoadError) return e.errors;
    throw e;
  }
  return [];
}

describe("knowledge base schema", () => {
  it("loads a valid entry", () => {
    const kb = loadKnowledge(kbDir({ "test-service.yaml": minimal }));
    expect(kb.byId.get("test-service")?.name).toBe("Servizio di prova");
  });

  it("names the file and the field of a wrong value", () => {
    const dir = kbDir({ "test-service.yaml": minimal.replace("scope: milano", "scope: lombardy") });
    const errors = loadErrors(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toMatch(/test-service\.yaml$/);
    expect(errors[0]!.field).toBe("area.scope");
  });

  it("refuses a fact whose source is not listed", () => {
    const errors = loadErrors(kbDir({ "test-service.yaml": minimal.replace("  - phone: [\"02 02 02\"]\n    source: s1", "  - phone: [\"02 02 02\"]\n    source: nowhere") }));
    expect(errors.map((e) => e.field)).toContain("contacts.0.source");
    expect(errors[0]!.message).toMatch(/nowhere/);
  });

  it("refuses a known residence rule without a source", () => {
    const errors = loadErrors(kbDir({ "test-service.yaml": minimal.replace("residence: { required: none, source: s1 }", "residence: { required: milano }") }));
    expect(errors.map((e) => e.field)).toContain("criteria.residence.source");
  });

  it("refuses an id that does not match the file name, and unknown fields", () => {
    const errors = loadErrors(kbDir({ "other-name.yaml": minimal.replace("last_verified", "colour: blue\nlast_verified") }));
    expect(errors.some((e) => e.field === "" && /colour/.test(e.message)) || errors.some((e) => /colour/.test(e.message))).toBe(true);
    const errors2 = loadErrors(kbDir({ "other-name.yaml": minimal }));
    expect(errors2).toEqual([expect.objectContaining({ field: "id" })]);
  });

  it("reports broken YAML with the file name", () => {
    const dir = kbDir({ "test-service.yaml": "id: [unclosed\n" });
    const r = validateServiceFile(join(dir, "services", "test-service.yaml"));
    expect(r.errors[0]!.message).toMatch(/not valid YAML/);
  });

  it("checks phone numbers, times and seed sources", () => {
    const bad = minimal.replace('"02 02 02"', '"call us"').replace('lines: "233"', 'lines: "somewhere"');
    const errors = loadErrors(kbDir({ "test-service.yaml": bad }));
    const fields = errors.map((e) => e.field);
    expect(fields).toContain("contacts.0.phone.0");
    expect(fields).toContain("sources.0.lines");
  });
});
