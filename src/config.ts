import { resolve } from "node:path";
import { z } from "zod";
import { OfficeHoursSchema, parseWeekly, type OfficeHours } from "./engine/office-hours.js";
import { loadLlmConfig, type LlmConfig } from "./llm/config.js";

/** Every environment variable the server reads, parsed once. Defaults give the embedded, offline setup. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  KNOWLEDGE_DIR: z.string().optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OPERATOR_HOURS: z.string().default("mon-fri 09:00-17:00"),
  OPERATOR_HOLIDAYS: z.string().default(""),
  OPERATOR_TIMEZONE: z.string().default("Europe/Rome"),
  EMBEDDINGS: z.enum(["hash", "openai"]).default("hash"),
  EMBEDDINGS_MODEL: z.string().optional(),
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  WIDGET_ORIGINS: z.string().default(""),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_CONVERSATION_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  METRICS_TOKEN: z.string().min(16).optional(),
  REDACT_TRANSCRIPTS: z.enum(["true", "false"]).default("false"),
  CLAIM_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  OPERATOR_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 7).default(8),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "a token from @BotFather, like 123456:AbC…").optional(),
  TELEGRAM_MODE: z.enum(["polling", "webhook"]).default("polling"),
  TELEGRAM_API_ROOT: z.string().url().transform((u) => u.replace(/\/+$/, "")).optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "16-256 characters A-Z a-z 0-9 _ -").optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-").optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_OPERATOR_CHANNEL: z.string().regex(/^[CG][A-Z0-9]+$/, "a channel id like C0123456789").optional(),
  SLACK_API_URL: z.string().url().transform((u) => (u.endsWith("/") ? u : `${u}/`)).optional(),
  // LLM_PROVIDER, LLM_MODEL, LLM_BASE_URL, LLM_API_KEY, LLM_TIMEOUT_MS: parsed by src/llm/config.ts (loadLlmConfig).
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  knowledgeDir: string;
  retentionDays: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  officeHours: OfficeHours;
  embeddings: { kind: "hash" | "openai"; model?: string; baseUrl?: string; apiKey?: string };
  trustProxy?: string;
  claimTimeoutMs: number;
  operatorSessionMs: number;
  rateLimits: { ipPerMinute: number; conversationPerMinute: number };
  /** Bearer token required on /metrics when set. */
  metricsToken?: string;
  /** Store the person's messages with phones, e-mails, tax codes, IBANs and document numbers masked. */
  redactTranscripts: boolean;
  /** Sites allowed to embed the web chat widget (CORS and WebSocket origin); empty = this server's own pages only. */
  widgetOrigins: string[];
  /** The Telegram channel, when TELEGRAM_BOT_TOKEN is set. */
  telegram?: { token: string; mode: "polling" | "webhook"; apiRoot?: string; webhookSecret?: string; webhookUrl?: string };
  /** The Slack operators' channel, when SLACK_BOT_TOKEN is set. */
  slack?: { botToken: string; signingSecret: string; channel: string; apiUrl?: string };
  /** The optional LLM, when LLM_PROVIDER is set (off by default). */
  llm?: LlmConfig;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const officeHours = OfficeHoursSchema.parse({
    timeZone: e.OPERATOR_TIMEZONE,
    weekly: e.OPERATOR_HOURS,
    holidays: e.OPERATOR_HOLIDAYS.split(",").map((s) => s.trim()).filter(Boolean),
  });
  parseWeekly(officeHours.weekly);
  if (e.EMBEDDINGS === "openai" && !e.EMBEDDINGS_MODEL) throw new Error("invalid configuration:\n  EMBEDDINGS_MODEL is required with EMBEDDINGS=openai");
  if (e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_MODE === "webhook" && !e.TELEGRAM_WEBHOOK_SECRET)
    throw new Error("invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_MODE=webhook");
  const llm = loadLlmConfig(env);
  if (e.SLACK_BOT_TOKEN && !(e.SLACK_SIGNING_SECRET && e.SLACK_OPERATOR_CHANNEL))
    throw new Error("invalid configuration:\n  SLACK_SIGNING_SECRET and SLACK_OPERATOR_CHANNEL are required with SLACK_BOT_TOKEN");
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(root, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    knowledgeDir: resolve(root, e.KNOWLEDGE_DIR ?? "knowledge"),
    retentionDays: e.RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    officeHours,
    embeddings: { kind: e.EMBEDDINGS, model: e.EMBEDDINGS_MODEL, baseUrl: e.EMBEDDINGS_BASE_URL, apiKey: e.EMBEDDINGS_API_KEY },
    trustProxy: e.TRUST_PROXY,
    claimTimeoutMs: e.CLAIM_TIMEOUT_MINUTES * 60_000,
    operatorSessionMs: e.OPERATOR_SESSION_HOURS * 3_600_000,
    redactTranscripts: e.REDACT_TRANSCRIPTS === "true",
    metricsToken: e.METRICS_TOKEN,
    rateLimits: { ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE, conversationPerMinute: e.RATE_LIMIT_CONVERSATION_PER_MINUTE },
    widgetOrigins: e.WIDGET_ORIGINS.split(",").map((s) => s.trim().replace(/\/$/, "")).filter(Boolean),
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { token: e.TELEGRAM_BOT_TOKEN, mode: e.TELEGRAM_MODE, apiRoot: e.TELEGRAM_API_ROOT, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, webhookUrl: e.TELEGRAM_WEBHOOK_URL }
      : undefined,
    slack: e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET && e.SLACK_OPERATOR_CHANNEL
      ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, channel: e.SLACK_OPERATOR_CHANNEL, apiUrl: e.SLACK_API_URL }
      : undefined,
    llm,
  };
}
