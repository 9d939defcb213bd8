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

/** How long each start-up phase took (ms): filled in by createEngine and createApp for the start-up probe. */
export interface StartupPhases {
  knowledgeMs?: number;
  indexMs?: number;
  /** Opening the store, from its start to its end: it runs alongside the knowledge and index loading. */
  storeMs?: number;
}

const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;

/** Knowledge, index and engine: what the server, the CLI and the tests share. */
export async function createEngine(config: Config, phases: StartupPhases = {}): Promise<{ kb: KnowledgeBase; engine: Engine }> {
  let t = performance.now();
  const kb = loadKnowledge(config.knowledgeDir, { cacheDir: join(config.dataDir, "knowledge") });
  phases.knowledgeMs = since(t);
  t = performance.now();
  const embeddings = await createEmbeddings(config.embeddings);
  const index = await HybridIndex.open(kb, embeddings, join(config.dataDir, "index"));
  phases.indexMs = since(t);
  const log = createLogger(config.logLevel).child({ module: "llm" });
  // Off unless LLM_PROVIDER is set: then no provider package is even loaded.
  const llm = config.llm
    ? await createLlmAssistant(config.llm, { onEvent: (e) => (e.outcome === "ok" ? log.debug(e, "llm") : log.warn(e, "llm fell back")) })
    : undefined;
  const engine = new Engine({ kb, index, retentionDays: config.retentionDays, officeHours: config.officeHours, redactTranscripts: config.redactTranscripts, llm });
  return { kb, engine };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Engine and store, opened together: the store's waits (PostgreSQL's connection and migration checks; PGlite's file
 * reads and WebAssembly compile) overlap the knowledge and index loading. PGlite's start is mostly its WebAssembly
 * running on this thread, so there the overlap gains little. If either fails, the other is waited for (a store that
 * did open is closed) and the error is thrown, both messages when both failed: nothing is left open or unobserved.
 */
export async function createApp(config: Config, phases: StartupPhases = {}): Promise<App> {
  const t = performance.now();
  const storeOpening = openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, "db") })
    .finally(() => (phases.storeMs = since(t)));
  const [store, engine] = await Promise.allSettled([storeOpening, createEngine(config, phases)]);
  if (store.status === "rejected" || engine.status === "rejected") {
    if (store.status === "fulfilled") await store.value.close().catch(() => undefined);
    if (engine.status === "rejected" && store.status === "rejected")
      throw new Error(`${message(engine.reason)}\nand the store failed too: ${message(store.reason)}`, { cause: engine.reason });
    throw engine.status === "rejected" ? engine.reason : (store as PromiseRejectedResult).reason;
  }
  return assemble(config, engine.value.kb, engine.value.engine, store.value);
}
