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
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
