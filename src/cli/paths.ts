import { readFileSync } from "node:fs";
import { fromRoot, projectRoot } from "../root.js";

export { projectRoot };
export const knowledgeDir = (): string => process.env.KNOWLEDGE_DIR ?? fromRoot("knowledge");
/** The canonical service names the knowledge base must contain (a copy of ../shared/eval/canonical-services.json). */
export const canonicalNamesPath = (): string => fromRoot("test/fixtures/canonical-services.json");

/**
 * How production starts the server: package.json's `start` script, `exec node [flags] dist/src/main.js` (`exec`: the
 * shell npm runs it in becomes node, so a SIGTERM sent to npm reaches the server), as arguments for `node`. The
 * bench and the build test start it the same way, flags included.
 */
export function startArgs(): string[] {
  const start = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  const m = /^(?:exec\s+)?node((?:\s+-\S+)*)\s+(dist\/src\/main\.js)$/.exec(start.trim());
  if (!m) throw new Error(`the start script is not "exec node [flags] dist/src/main.js": ${start}`);
  return [...m[1]!.trim().split(/\s+/).filter(Boolean), fromRoot(m[2]!)];
}
