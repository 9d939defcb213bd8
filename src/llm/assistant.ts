import { z } from "zod";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { Contact, Service } from "../knowledge/schema.js";
import { LANGUAGE_NAMES, type Lang } from "../language/languages.js";
import { redactText } from "../privacy/redact.js";
import { checkAnswer, checkTranslation, citedIds, promptEntry, renderCitations, type Problem } from "./guardrails.js";
import { fillPrompt, loadPrompt, type FilledPrompt, type PromptName } from "./prompts.js";

/**
 * The optional LLM, behind one narrow interface. Every method returns `undefined` instead of throwing, on a time-out,
 * a provider error, unparsable output or a failed guardrail, and the caller then does what it does without an LLM
 * (the template answer, its own profile extraction, the untranslated message). So the LLM can make answers nicer,
 * never make them wrong or late by more than `timeoutMs`.
 *
 * EMERGENCIES NEVER DEPEND ON THIS CLASS. The engine's triage (src/engine/triage.ts) runs first, on the raw text,
 * with no network, and an urgent turn answers from the emergency entries and templates only: the engine must not
 * call the LLM for an urgent turn (it would only add delay where every second counts), and nothing here is on that
 * path. If the LLM endpoint is down, slow or wrong, danger is still recognised and answered exactly as without it.
 *
 * Privacy: the person's message is sent to the model with phone numbers, e-mails, tax codes, IBANs and document
 * numbers masked (redactText). Operators' messages to translate are sent as written (they may contain a number
 * to call on purpose). With LLM_PROVIDER=openai the text leaves the machine: choose an endpoint whose data
 * processing terms fit (e.g. EU-hosted, no training on inputs).
 */

export const LANGUAGE_NAMES_EN: Record<Lang, string> = {
  it: "Italian", en: "English", fr: "French", es: "Spanish", ar: "Arabic", uk: "Ukrainian", ru: "Russian",
  zh: "Chinese (Simplified)", bn: "Bengali", tl: "Tagalog", si: "Sinhala", ur: "Urdu", fa: "Dari/Persian",
  ps: "Pashto", so: "Somali", ti: "Tigrinya", sq: "Albanian", ro: "Romanian",
};
const languageLabel = (l: Lang) => (l === "en" ? "English" : `${LANGUAGE_NAMES_EN[l]} (${LANGUAGE_NAMES[l]})`);

export interface RewriteInput {
  /** The person's language. */
  lang: Lang;
  /** The person's message. */
  question: string;
  /** The services the template answer shows, best first: the only ones the model may use and cite. */
  services: Service[];
  /** The contacts shown for each service (the nearest ones); all of the service's contacts otherwise. */
  contacts?: ReadonlyMap<string, Contact[]>;
}

export interface RewriteResult {
  /** The answer for the person: checked, with citations rendered as service names. */
  text: string;
  /** The model's text as checked, citations as [id]. */
  raw: string;
  /** Cited service ids, in order. */
  cited: string[];
  /** The prompt that produced it, e.g. "answer.v1". */
  prompt: string;
}

const nullish = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);

export const UnderstandingSchema = z.object({
  query: z.string().trim().min(1).max(300),
  facts: z
    .object({
      municipality: nullish(z.string().trim().min(2).max(80)),
      age: nullish(z.number().int().min(0).max(120)),
      children: nullish(z.boolean()),
      isee: nullish(z.number().nonnegative().max(1_000_000)),
    })
    .nullish()
    .transform((f) => Object.fromEntries(Object.entries(f ?? {}).filter(([, v]) => v !== undefined)) as Understanding["facts"]),
});

export interface Understanding {
  /** A search query in Italian. */
  query: string;
  /** Only what the person stated. `municipality` is free text: map it with findArea before using it. */
  facts: { municipality?: string; age?: number; children?: boolean; isee?: number };
}

export type LlmOutcome = "ok" | "timeout" | "error" | "rejected" | "invalid";

/** What happened in one call, for logs and metrics. It never contains the person's text. */
export interface LlmEvent {
  use: PromptName;
  prompt: string;
  outcome: LlmOutcome;
  ms: number;
  problems?: Problem[];
  error?: string;
}

export interface LlmAssistantOptions {
  onEvent?: (e: LlmEvent) => void;
  /** Longest message sent to the model (characters); longer ones are cut. */
  maxInputChars?: number;
}

class Timeout extends Error {}

/** The text of a chat reply, without the hidden reasoning some local models print (<think>…</think>). */
function replyText(m: BaseMessage): string {
  const raw = typeof m.content === "string" ? m.content : m.text;
  return raw.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
}

/** The one JSON object in a reply, with or without ```json fences or words around it. */
export function extractJson(text: string): unknown {
  const body = text.replace(/^```(?:json)?\s*|\s*```$/gim, "");
  const start = body.indexOf("{");
  const end = body.lastIndexOf("}");
  if (start < 0 || end <= start) throw new Error("no JSON object in the reply");
  return JSON.parse(body.slice(start, end + 1));
}

export class LlmAssistant {
  private readonly maxInput: number;

  constructor(
    private readonly model: BaseChatModel,
    private readonly timeoutMs = 8000,
    private readonly options: LlmAssistantOptions = {},
  ) {
    this.maxInput = options.maxInputChars ?? 2000;
  }

  private emit(e: LlmEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch {
      // A broken logger must not break an answer.
    }
  }

  /**
   * One model call, bounded by timeoutMs: the request is aborted (AbortSignal) and, for a model that ignores the
   * signal, the race ends anyway. Returns the reply text, or undefined after emitting the reason.
   */
  private async call(use: PromptName, p: FilledPrompt): Promise<{ text: string; ms: number } | undefined> {
    const started = Date.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Timeout(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      const run = this.model.invoke([new SystemMessage(p.system), new HumanMessage(p.user)], { signal: controller.signal });
      run.catch(() => undefined); // it may still fail after the time-out: never an unhandled rejection
      const reply = await Promise.race([run, expired]);
      return { text: replyText(reply), ms: Date.now() - started };
    } catch (err) {
      const timeout = err instanceof Timeout || controller.signal.aborted;
      this.emit({ use, prompt: p.id, outcome: timeout ? "timeout" : "error", ms: Date.now() - started, error: (err as Error)?.message?.slice(0, 200) });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private clip(text: string): string {
    return text.length > this.maxInput ? `${text.slice(0, this.maxInput)}…` : text;
  }

  /**
   * A short, friendly answer in the person's language from the given services only, or undefined: the caller
   * then keeps its template answer. Never call it for an urgent turn (see the class comment).
   */
  async rewriteAnswer(input: RewriteInput): Promise<RewriteResult | undefined> {
    try {
      if (input.services.length === 0 || !input.question.trim()) return undefined;
      const entries = input.services.map((s) => promptEntry(s, input.lang, input.contacts?.get(s.id)));
      const p = fillPrompt(loadPrompt("answer"), {
        language: languageLabel(input.lang),
        language_code: input.lang,
        entries: JSON.stringify(entries, null, 1),
        question: this.clip(redactText(input.question)),
      });
      const r = await this.call("answer", p);
      if (!r) return undefined;
      const check = checkAnswer(r.text, { lang: input.lang, services: input.services });
      if (r.text.length > 2500) check.problems.push({ kind: "too_long", value: String(r.text.length), message: "answer too long" });
      if (!check.ok || check.problems.length) {
        this.emit({ use: "answer", prompt: p.id, outcome: "rejected", ms: r.ms, problems: check.problems });
        return undefined;
      }
      this.emit({ use: "answer", prompt: p.id, outcome: "ok", ms: r.ms });
      return { text: renderCitations(r.text, input.services), raw: r.text, cited: citedIds(r.text), prompt: p.id };
    } catch (err) {
      this.emit({ use: "answer", prompt: "answer", outcome: "error", ms: 0, error: (err as Error)?.message?.slice(0, 200) });
      return undefined;
    }
  }

  /** A search query in Italian and the facts the person stated, or undefined on any problem. */
  async understand(text: string): Promise<Understanding | undefined> {
    try {
      if (!text.trim()) return undefined;
      const p = fillPrompt(loadPrompt("understand"), { text: this.clip(redactText(text)) });
      const r = await this.call("understand", p);
      if (!r) return undefined;
      let json: unknown;
      try {
        json = extractJson(r.text);
      } catch (err) {
        this.emit({ use: "understand", prompt: p.id, outcome: "invalid", ms: r.ms, error: (err as Error).message.slice(0, 200) });
        return undefined;
      }
      const parsed = UnderstandingSchema.safeParse(json);
      if (!parsed.success) {
        this.emit({ use: "understand", prompt: p.id, outcome: "invalid", ms: r.ms, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ").slice(0, 200) });
        return undefined;
      }
      this.emit({ use: "understand", prompt: p.id, outcome: "ok", ms: r.ms });
      return parsed.data;
    } catch (err) {
      this.emit({ use: "understand", prompt: "understand", outcome: "error", ms: 0, error: (err as Error)?.message?.slice(0, 200) });
      return undefined;
    }
  }

  /**
   * `text` translated from `from` into `to`, or undefined (send the original). The translation must keep every
   * phone number, address, link, amount and time of the original and be in the target language.
   */
  async translate(text: string, from: Lang, to: Lang): Promise<string | undefined> {
    try {
      if (!text.trim()) return undefined;
      if (from === to) return text;
      if (text.length > this.maxInput * 2) return undefined;
      const p = fillPrompt(loadPrompt("translate"), { from: languageLabel(from), from_code: from, to: languageLabel(to), to_code: to, text });
      const r = await this.call("translate", p);
      if (!r) return undefined;
      let out = r.text;
      // Quotes the model added around the whole translation.
      if (/^["«“„].*["»”“]$/su.test(out) && !/^["«“„]/u.test(text.trim())) out = out.slice(1, -1).trim();
      const check = checkTranslation(text, out, to);
      if (out.length > text.length * 4 + 200) check.problems.push({ kind: "too_long", value: String(out.length), message: "translation too long" });
      if (!check.ok || check.problems.length) {
        this.emit({ use: "translate", prompt: p.id, outcome: "rejected", ms: r.ms, problems: check.problems });
        return undefined;
      }
      this.emit({ use: "translate", prompt: p.id, outcome: "ok", ms: r.ms });
      return out;
    } catch (err) {
      this.emit({ use: "translate", prompt: "translate", outcome: "error", ms: 0, error: (err as Error)?.message?.slice(0, 200) });
      return undefined;
    }
  }
}
