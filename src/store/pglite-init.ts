/**
 * Creates an embedded database in a folder (PostgreSQL's initdb, in WebAssembly), then exits: run in a child process by
 * `openPglite` so that the memory initdb takes (some 500 MB of resident memory, which a process does not give back)
 * goes with the child. Usage: `node pglite-init.js <folder>`.
 */
import { PGlite } from "@electric-sql/pglite";
import { pgliteStartParams } from "./pglite.js";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: pglite-init <folder>\n");
  process.exit(2);
}
const db = await PGlite.create(dir, { startParams: pgliteStartParams() });
await db.close();
