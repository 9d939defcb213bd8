import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dataDir = mkdtempSync(join(tmpdir(), "orienta-opcli-"));
const run = (args: string[], input = "", extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/operators.ts", ...args], {
    input, encoding: "utf8", env: { ...process.env, DATA_DIR: dataDir, ...extraEnv }, timeout: 120_000,
  });

describe("operators CLI", () => {
  it("adds an operator with a password from standard input, lists it, refuses a duplicate and bad input", () => {
    const add = run(["add", "ana", "--languages", "it,en,ar", "--role", "operator", "--password-stdin"], "a very long passphrase\n");
    expect(add.stderr).toBe("");
    expect(add.stdout).toMatch(/added operator ana \(it,en,ar\)/);
    expect(run(["list"]).stdout).toMatch(/ana\toperator\tit,en,ar/);
    expect(run(["add", "ana", "--languages", "it", "--role", "operator", "--password-stdin"], "another long passphrase").status).toBe(4);
    const short = run(["add", "bo", "--languages", "it", "--role", "operator", "--password-stdin"], "short");
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/12 characters/);
    expect(run(["add", "bo", "--languages", "xx", "--role", "operator", "--password-stdin"], "a very long passphrase").status).toBe(2);
    expect(run(["add", "bo", "--languages", "it", "--role", "boss", "--password-stdin"], "a very long passphrase").status).toBe(2);
    expect(run(["add", "bo", "--languages", "it", "--role", "operator"]).stderr).toMatch(/password-stdin/);
  }, 120_000);

  it("refuses clearly while a server holds the embedded database", () => {
    writeFileSync(join(dataDir, "server.pid"), String(process.pid));
    const r = run(["list"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/server is running/);
  }, 60_000);
});
