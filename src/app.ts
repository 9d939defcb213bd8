import { join } from "node:path";
import type { Config } from "./config.js";
import { loadKnowledge, type KnowledgeBase } from "./knowledge/load.js";
import { HybridIndex } from "./knowledge/search/index.js";
import { createEmbeddings } from "./knowledge/search/embeddings-factory.js";
import { Engine } from "./engine/engine.js";
import { openStore, type Store } from "./store/store.js";
import { EventBus } from "./handoff/events.js";
import { Inbox } from "./handoff/inbox.js";
import { Handoff } from "./handoff/handoff.js";
import { createLlmAssistant } from "./llm/index.js";
import { createLogger } from "./log.js";

export interface App {
  config: Config;
  kb: KnowledgeBase;
  engine: Engine;
  store: Store;
  bus: EventBus;
  inbox: Inbox;
  handoff: Handoff;
}

/** The parts that act on conversations, over a given engine and store. */
export function assemble(config: Config, kb: KnowledgeBase, engine: Engine, store: Store): App {
  const bus = new EventBus();
  return { config, kb, engine, store, bus, inbox: new Inbox(engine, store, bus), handoff: new Handoff(store, kb, bus, engine.llm) };
}

/** Knowledge, index and engine: what the server, the CLI and the tests share. */
export async function createEngine(config: Config): Promise<{ kb: KnowledgeBase; engine: Engine }> {
  const kb = loadKnowledge(config.knowledgeDir);
  const embeddings = await createEmbeddings(config.embeddings);
  const index = await HybridIndex.open(kb, embeddings, join(config.dataDir, "index"));
  const log = createLogger(config.logLevel).child({ module: "llm" });
  // Off unless LLM_PROVIDER is set: then no provider package is even loaded.
  const llm = config.llm
    ? await createLlmAssistant(config.llm, { onEvent: (e) => (e.outcome === "ok" ? log.debug(e, "llm") : log.warn(e, "llm fell back")) })
    : undefined;
  const engine = new Engine({ kb, index, retentionDays: config.retentionDays, officeHours: config.officeHours, redactTranscripts: config.redactTranscripts, llm });
  return { kb, engine };
}

export async function createApp(config: Config): Promise<App> {
  const { kb, engine } = await createEngine(config);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, "db") });
  return assemble(config, kb, engine, store);
}
