import { z } from "zod";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

/**
 * The optional LLM. Off unless LLM_PROVIDER is set; when off nothing here loads a provider package and the bot
 * answers from its templates exactly as before. The LLM only rephrases (answers, translations) and reads messages
 * (understand); what it writes is checked against the knowledge base before anyone sees it (guardrails.ts).
 *
 *   LLM_PROVIDER     ollama | openai (any OpenAI-compatible endpoint: vLLM, LiteLLM, an EU-hosted provider…)
 *   LLM_MODEL        model name, e.g. "qwen2.5:7b-instruct" (Ollama) or "mistral-small-latest"
 *   LLM_BASE_URL     ollama: the Ollama server, default http://127.0.0.1:11434 (NOT the /v1 path);
 *                    openai: the endpoint's base URL, e.g. https://api.mistral.ai/v1 or http://127.0.0.1:11434/v1
 *   LLM_API_KEY      the endpoint's key; required with openai unless LLM_BASE_URL points at a server without keys
 *   LLM_TIMEOUT_MS   per call; after it the bot keeps its template answer (default 8000)
 */

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const LlmEnvSchema = z.object({
  LLM_PROVIDER: z.preprocess(blankToUndefined, z.enum(["ollama", "openai"]).optional()),
  LLM_MODEL: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  LLM_BASE_URL: z.preprocess(blankToUndefined, z.string().url().transform((u) => u.replace(/\/+$/, "")).optional()),
  LLM_API_KEY: z.preprocess(blankToUndefined, z.string().min(1).optional()),
  LLM_TIMEOUT_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(200).max(120_000).default(8000)),
});

export interface LlmConfig {
  provider: "ollama" | "openai";
  model: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs: number;
}

/** The LLM settings, or undefined when LLM_PROVIDER is not set. A wrong value throws, naming the variable. */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const parsed = LlmEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (!e.LLM_PROVIDER) return undefined;
  if (!e.LLM_MODEL) throw new Error(`invalid configuration:\n  LLM_MODEL is required with LLM_PROVIDER=${e.LLM_PROVIDER}`);
  if (e.LLM_PROVIDER === "openai" && !e.LLM_API_KEY && !e.LLM_BASE_URL)
    throw new Error("invalid configuration:\n  LLM_API_KEY (or LLM_BASE_URL of a server without keys) is required with LLM_PROVIDER=openai");
  return { provider: e.LLM_PROVIDER, model: e.LLM_MODEL, baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, timeoutMs: e.LLM_TIMEOUT_MS };
}

/** Low temperature: the model rephrases given facts, it should not be creative. */
const TEMPERATURE = 0.2;

interface ChatOllamaCtor {
  new (fields: { model: string; baseUrl?: string; temperature?: number; keepAlive?: string }): BaseChatModel;
}

// Held in a variable so that TypeScript and the bundler do not require the optional package to be installed.
const OLLAMA_PACKAGE = "@langchain/ollama";

/**
 * A LangChain chat model for the configuration. Provider packages are imported here, on demand, so nothing of
 * them loads while the LLM is off. No request is made until the model is first called.
 */
export async function createChatModel(cfg: LlmConfig): Promise<BaseChatModel> {
  if (cfg.provider === "ollama") {
    let mod: { ChatOllama: ChatOllamaCtor };
    try {
      mod = (await import(/* @vite-ignore */ OLLAMA_PACKAGE)) as { ChatOllama: ChatOllamaCtor };
    } catch (err) {
      throw new Error(`LLM_PROVIDER=ollama needs the package ${OLLAMA_PACKAGE}: npm i ${OLLAMA_PACKAGE} (${(err as Error).message})`);
    }
    return new mod.ChatOllama({ model: cfg.model, baseUrl: cfg.baseUrl, temperature: TEMPERATURE, keepAlive: "30m" });
  }
  const { ChatOpenAI } = await import("@langchain/openai");
  return new ChatOpenAI({
    model: cfg.model,
    // OpenAI-compatible servers without authentication still need a non-empty key for the client.
    apiKey: cfg.apiKey ?? "not-needed",
    temperature: TEMPERATURE,
    // The assistant enforces its own time limit and falls back; retrying would only delay the template answer.
    maxRetries: 0,
    timeout: cfg.timeoutMs,
    ...(cfg.baseUrl ? { configuration: { baseURL: cfg.baseUrl } } : {}),
  });
}
