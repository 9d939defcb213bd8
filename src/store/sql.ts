/** The little a store needs from a SQL connection; PGlite and node-postgres both fit it. */
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Pick<SqlClient, "query">) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` only if no other process holds the lock `key` (PostgreSQL advisory lock); returns undefined otherwise.
   * With several instances on one database, each periodic job runs on one of them at a time.
   */
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T | undefined>;
  /** Runs `fn` holding the lock `key`, waiting for it if another process holds it (migrations at start-up). */
  serialized<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
