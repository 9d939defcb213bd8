import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SqlClient } from "./sql.js";

/**
 * PostgreSQL's buffer cache inside the WebAssembly memory. The default, 128 MB, is touched at start and stays
 * resident (about 120 MB of the server's RSS); our database is small, and pages not in it are read through the
 * operating system's cache, so 16 MB is plenty.
 */
const SHARED_BUFFERS = "16MB";

export const pgliteStartParams = (): string[] => [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];

/**
 * A new database is created by a child process (src/store/pglite-init.ts): initdb leaves this process's resident memory
 * ~500 MB higher for good (measured: a server that created its database sat at 465 MB under load, one that opened it
 * at 376 MB). The child runs with plain node when compiled, with tsx's loader from the sources.
 */
async function createDatabase(dataDir: string): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const script = join(here, "..", `pglite-init${extname(here)}`);
  const execArgv = extname(here) === ".ts" ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...execArgv, script, dataDir], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()).length > 4000 && (stderr = stderr.slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${dataDir} failed (exit ${code}): ${stderr.trim().slice(-1000)}`);
}

/**
 * One turn of the event loop before each statement. PGlite runs in this thread and answers through promises only, so
 * under load the statements of the requests in flight follow one another in one unbroken chain of microtasks and the
 * loop never reaches its I/O phase: measured, new connections were accepted only once the load stopped (a person's
 * first message waited up to 10 s while others were answered in 0.3 s). A networked database yields at every
 * statement by nature; this makes the embedded one do the same (costs a few microseconds when idle).
 */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests). */
export async function openPglite(dataDir?: string): Promise<SqlClient> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(join(dataDir, "PG_VERSION"))) await createDatabase(dataDir);
  }
  const db = await PGlite.create(dataDir, { startParams: pgliteStartParams() });
  return {
    query: async <T>(sql: string, params?: unknown[]) => {
      await yieldToLoop();
      return { rows: (await db.query<T>(sql, params)).rows };
    },
    transaction: async (fn) => {
      await yieldToLoop();
      return db.transaction((tx) => fn({ query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<T>(sql, params)).rows }) }));
    },
    // One process owns an embedded database: there is nobody to exclude.
    exclusive: (_key, fn) => fn(),
    serialized: (_key, fn) => fn(),
    exec: async (sql) => {
      await yieldToLoop();
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
