import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { SqlClient } from "./sql.js";

/**
 * PostgreSQL's buffer cache inside the WebAssembly memory. The default, 128 MB, is touched at start and stays
 * resident (about 120 MB of the server's RSS); our database is small, and pages not in it are read through the
 * operating system's cache, so 16 MB is plenty.
 */
const SHARED_BUFFERS = "16MB";

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests). */
export async function openPglite(dataDir?: string): Promise<SqlClient> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`] });
  return {
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await db.query<T>(sql, params)).rows }),
    transaction: (fn) => db.transaction((tx) => fn({ query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<T>(sql, params)).rows }) })),
    // One process owns an embedded database: there is nobody to exclude.
    exclusive: (_key, fn) => fn(),
    serialized: (_key, fn) => fn(),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
