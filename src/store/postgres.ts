import pg from "pg";
import type { SqlClient } from "./sql.js";

/** PostgreSQL through node-postgres: for several instances sharing one database. */
export async function openPostgres(url: string): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail at start-up, not on the first message.
  await pool.query("SELECT 1");
  return {
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pool.query(sql, params)).rows as T[] }),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as T[] }) });
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    // Waiting for the lock always runs `fn`, so the result is never the "skipped" undefined.
    serialized: async (key, fn) => (await withAdvisoryLock(pool, key, true, fn))!,
    exclusive: (key, fn) => withAdvisoryLock(pool, key, false, fn),
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/**
 * Runs `fn` holding the advisory lock `key` on one pooled connection. `wait`: block until the lock is free
 * (migrations); otherwise give up at once and return undefined (periodic jobs another instance is running).
 */
async function withAdvisoryLock<T>(pool: pg.Pool, key: number, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect();
  try {
    if (wait) await client.query("SELECT pg_advisory_lock($1)", [key]);
    else {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
      if (!rows[0]?.locked) return undefined;
    }
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [key]);
    }
  } finally {
    client.release();
  }
}
