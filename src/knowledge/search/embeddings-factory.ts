import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Config } from "../../config.js";
import { HashNgramEmbeddings } from "./embedder.js";

/**
 * The embedder chosen by configuration: the local hash embedder (default, offline), or any OpenAI-compatible
 * embeddings endpoint (OpenAI, a model hosted in the EU, or Ollama's /v1 API) through @langchain/openai.
 */
export async function createEmbeddings(c: Config["embeddings"]): Promise<EmbeddingsInterface & { id: string }> {
  if (c.kind === "hash") return new HashNgramEmbeddings();
  const { OpenAIEmbeddings } = await import("@langchain/openai");
  const e = new OpenAIEmbeddings({
    model: c.model,
    apiKey: c.apiKey ?? "not-needed",
    configuration: c.baseUrl ? { baseURL: c.baseUrl } : undefined,
  });
  return Object.assign(e, { id: `openai:${c.baseUrl ?? "default"}:${c.model}` });
}
