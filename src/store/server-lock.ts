import { join } from "node:path";

/** The file where a server on the embedded database writes its pid (PGlite allows one process per data folder). */
export function serverLockPath(dataDir: string): string {
  return join(dataDir, "server.pid");
}
