import { LlmAssistant, type LlmAssistantOptions } from "./assistant.js";
import { createChatModel, loadLlmConfig, type LlmConfig } from "./config.js";

export { LlmAssistant, type LlmEvent, type RewriteInput, type RewriteResult, type Understanding } from "./assistant.js";
export { loadLlmConfig, createChatModel, type LlmConfig } from "./config.js";
export { checkAnswer, checkTranslation, type GuardrailResult, type Problem } from "./guardrails.js";

/**
 * The assistant for the environment, or undefined when LLM_PROVIDER is not set (the default: no LLM, nothing
 * loaded). A wrong setting throws at start-up, naming the variable, like the rest of the configuration.
 */
export async function createLlmAssistant(
  env: NodeJS.ProcessEnv | LlmConfig | undefined = process.env,
  options: LlmAssistantOptions = {},
): Promise<LlmAssistant | undefined> {
  const cfg = env && "provider" in env && "timeoutMs" in env ? (env as LlmConfig) : loadLlmConfig(env as NodeJS.ProcessEnv | undefined);
  if (!cfg) return undefined;
  return new LlmAssistant(await createChatModel(cfg), cfg.timeoutMs, options);
}
