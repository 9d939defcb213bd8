import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const projectRoot = (): string => root;
export const knowledgeDir = (): string => process.env.KNOWLEDGE_DIR ?? resolve(root, "knowledge");
/** The canonical service names the knowledge base must contain (a copy of ../shared/eval/canonical-services.json). */
export const canonicalNamesPath = (): string => resolve(root, "test/fixtures/canonical-services.json");
