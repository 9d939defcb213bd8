import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createChatModel, loadLlmConfig } from "../../src/llm/config.js";
import { LlmAssistant, createLlmAssistant } from "../../src/llm/index.js";

const ollamaInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve("@langchain/ollama");
    return true;
  } catch {
    return false;
  }
})();

describe("LLM configuration", () => {
  it("is off by default and when LLM_PROVIDER is blank", async () => {
    expect(loadLlmConfig({})).toBeUndefined();
    expect(loadLlmConfig({ LLM_PROVIDER: "", LLM_MODEL: "x" })).toBeUndefined();
    expect(await createLlmAssistant({})).toBeUndefined();
  });

  it("parses a full setting, 8000 ms by default", () => {
    expect(loadLlmConfig({ LLM_PROVIDER: "openai", LLM_MODEL: "mistral-small-latest", LLM_BASE_URL: "https://api.mistral.ai/v1/", LLM_API_KEY: "k" })).toEqual({
      provider: "openai", model: "mistral-small-latest", baseUrl: "https://api.mistral.ai/v1", apiKey: "k", timeoutMs: 8000,
    });
    expect(loadLlmConfig({ LLM_PROVIDER: "ollama", LLM_MODEL: "qwen2.5:7b", LLM_TIMEOUT_MS: "15000" })?.timeoutMs).toBe(15000);
  });

  it("names the wrong variable", () => {
    expect(() => loadLlmConfig({ LLM_PROVIDER: "claude" })).toThrow(/LLM_PROVIDER/);
    expect(() => loadLlmConfig({ LLM_PROVIDER: "ollama" })).toThrow(/LLM_MODEL is required/);
    expect(() => loadLlmConfig({ LLM_PROVIDER: "openai", LLM_MODEL: "m" })).toThrow(/LLM_API_KEY/);
    expect(() => loadLlmConfig({ LLM_PROVIDER: "openai", LLM_MODEL: "m", LLM_BASE_URL: "not a url" })).toThrow(/LLM_BASE_URL/);
    expect(() => loadLlmConfig({ LLM_PROVIDER: "ollama", LLM_MODEL: "m", LLM_TIMEOUT_MS: "10" })).toThrow(/LLM_TIMEOUT_MS/);
  });

  it("builds an OpenAI-compatible chat model for any base URL; a dead endpoint means a fallback", async () => {
    const m = await createChatModel({ provider: "openai", model: "mistral-small-latest", baseUrl: "http://127.0.0.1:9/v1", timeoutMs: 500 });
    expect(m).toBeInstanceOf(BaseChatModel);
    expect(m._llmType()).toBe("openai");
    expect(m.lc_kwargs).toMatchObject({ model: "mistral-small-latest", maxRetries: 0, configuration: { baseURL: "http://127.0.0.1:9/v1" } });
    const a = await createLlmAssistant({ LLM_PROVIDER: "openai", LLM_MODEL: "m", LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_TIMEOUT_MS: "500" });
    expect(a).toBeInstanceOf(LlmAssistant);
    // Nothing listens on port 9: the call fails fast and the assistant falls back instead of throwing.
    expect(await a!.translate("Buongiorno a tutti, come state oggi?", "it", "en")).toBeUndefined();
  });

  it.runIf(ollamaInstalled)("builds a ChatOllama model", async () => {
    const m = await createChatModel({ provider: "ollama", model: "qwen2.5:7b", baseUrl: "http://127.0.0.1:11434", timeoutMs: 500 });
    expect(m).toBeInstanceOf(BaseChatModel);
    expect(m._llmType()).toBe("ollama");
  });

  it.runIf(!ollamaInstalled)("says how to install @langchain/ollama when it is missing", async () => {
    await expect(createChatModel({ provider: "ollama", model: "qwen2.5:7b", timeoutMs: 500 })).rejects.toThrow(/npm i @langchain\/ollama/);
  });
});
