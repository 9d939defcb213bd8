import { cpSync, existsSync, readdirSync } from "node:fs";
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

/**
 * Copies the tests' index cache into a server's DATA_DIR: complete index folders only. Another test file may be
 * writing or replacing the cache at the same moment; then the server simply builds its own index.
 */
export function copyIndexCache(dataDir: string): void {
  const cache = join(tmpdir(), "orienta-test-data", "index");
  if (!existsSync(cache)) return;
  for (const dir of readdirSync(cache)) {
    try {
      if (existsSync(join(cache, dir, "complete"))) cpSync(join(cache, dir), join(dataDir, "index", dir), { recursive: true });
    } catch {
      // Replaced while we copied: not needed.
    }
  }
}
