import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../src/config.js";
import { createEngine } from "../src/app.js";
import { projectRoot } from "../src/cli/paths.js";

/** A configuration for tests: the real knowledge base, the index cached in the system's temp folder. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: join(tmpdir(), "orienta-test-data"), LOG_LEVEL: "silent", ...env }, projectRoot());
}

let engine: ReturnType<typeof createEngine> | undefined;
/** The engine over the real knowledge base, built once per test file. */
export function realEngine() {
  engine ??= createEngine(testConfig());
  return engine;
}
