import type { KnowledgeBase } from "../knowledge/load.js";
import { translator } from "../language/i18n.js";
import { renderCard } from "../engine/answer.js";
import { checkEligibility } from "../engine/eligibility.js";
import type { Conversation, ConversationState, NewMessage, Note, Operator, StoredMessage, Store } from "../store/store.js";
import type { EventBus } from "./events.js";
import type { LlmAssistant } from "../llm/assistant.js";
import { detectLanguage } from "../language/detect.js";
import { isLang, type Lang } from "../language/languages.js";

export class HandoffError extends Error {
  constructor(readonly code: "not_found" | "conflict" | "forbidden", message: string) {
    super(message);
  }
}

export interface QueueItem {
  conversationId: string;
  lang: string;
  urgent: boolean;
  channel: string;
  waitingSince: string | null;
  topic: string | null;
  municipality: string | null;
  services: { id: string; name: string }[];
  speaksLanguage: boolean;
}

/**
 * Operators' side of a conversation: the queue, claiming, replying, notes, giving back to the bot, closing.
 * Every change is one conditional UPDATE, so two operators can never hold the same conversation.
 */
export class Handoff {
  constructor(
    private readonly store: Store,
    private readonly kb: KnowledgeBase,
    private readonly bus: EventBus,
    private readonly llm?: LlmAssistant,
  ) {}

  private item(c: Conversation, op?: Operator): QueueItem {
    const services = (c.context.lastServices ?? []).map((id) => this.kb.byId.get(id)).filter((s) => s !== undefined);
    return {
      conversationId: c.id,
      lang: c.lang,
      urgent: c.urgent,
      channel: c.channel,
      waitingSince: c.handoffAt?.toISOString() ?? null,
      topic: services[0]?.categories[0] ?? null,
      municipality: c.profile.municipality ?? null,
      services: services.map((s) => ({ id: s.id, name: s.name })),
      speaksLanguage: op ? op.languages.includes(c.lang) : false,
    };
  }

  /** Urgent first; then, for this operator, conversations in a language they speak; then by waiting time. */
  async queue(op?: Operator): Promise<QueueItem[]> {
    const items = (await this.store.listQueue()).map((c) => this.item(c, op));
    return items
      .map((it, i) => ({ it, i }))
      .sort((a, b) => Number(b.it.urgent) - Number(a.it.urgent) || Number(b.it.speaksLanguage) - Number(a.it.speaksLanguage) || a.i - b.i)
      .map((x) => x.it);
  }

  async view(conversationId: string, op: Operator) {
    const c = await this.store.getConversation(conversationId);
    if (!c) throw new HandoffError("not_found", "no such conversation");
    await this.store.audit(op.id, c.id, "open");
    const [messages, notes] = await Promise.all([this.store.listMessages(c.id), this.store.listNotes(c.id)]);
    return {
      conversation: { id: c.id, channel: c.channel, state: c.state, lang: c.lang, urgent: c.urgent, operatorId: c.operatorId, waitingSince: c.handoffAt, outcome: c.outcome },
      profile: c.profile,
      services: this.item(c).services,
      transcript: messages.map((m) => ({ id: m.id, from: m.sender, kind: m.kind, text: m.text, ...(typeof m.payload.original === "string" ? { original: m.payload.original } : {}), createdAt: m.createdAt })),
      notes: notes.map((n: Note) => ({ id: n.id, operatorId: n.operatorId, text: n.text, createdAt: n.createdAt })),
    };
  }

  private async change(
    conversationId: string,
    op: Operator,
    action: string,
    from: ConversationState[],
    change: { state: ConversationState; operatorId?: string | null; outcome?: string | null },
    systemKey?: string,
  ): Promise<Conversation> {
    const current = await this.store.getConversation(conversationId);
    if (!current) throw new HandoffError("not_found", "no such conversation");
    if (from.includes("with_operator") && current.state === "with_operator" && current.operatorId !== op.id && op.role !== "admin")
      throw new HandoffError("forbidden", "another operator holds this conversation");
    const messages: NewMessage[] = systemKey ? [{ sender: "system", kind: "text", text: translator(current.lang)(systemKey), payload: { lang: current.lang } }] : [];
    const r = await this.store.transition(conversationId, from, change, messages);
    if (!r) throw new HandoffError("conflict", `cannot ${action} a conversation that is ${current.state}`);
    await this.store.audit(op.id, conversationId, action);
    this.announce(r.conversation, r.messages);
    return r.conversation;
  }

  private announce(c: Conversation, messages: StoredMessage[]) {
    for (const message of messages) this.bus.emit("message", { conversationId: c.id, channel: c.channel, externalRef: c.externalRef, message });
    this.bus.emit("state", { conversationId: c.id, state: c.state, urgent: c.urgent, lang: c.lang, operatorId: c.operatorId });
  }

  claim(conversationId: string, op: Operator) {
    return this.change(conversationId, op, "claim", ["waiting_for_operator", "bot", "closed"], { state: "with_operator", operatorId: op.id }, "operator_joined");
  }

  release(conversationId: string, op: Operator) {
    return this.change(conversationId, op, "release", ["with_operator"], { state: "bot", operatorId: null }, "bot_back");
  }

  async close(conversationId: string, op: Operator, outcome: string) {
    const before = await this.store.getConversation(conversationId);
    const c = await this.change(conversationId, op, "close", ["with_operator", "waiting_for_operator"], { state: "closed", operatorId: null, outcome }, "conversation_closed");
    if (before) await this.recordOutcome(before, outcome);
    return c;
  }

  /** Waiting time and outcome for the needs report, with no link to the person. */
  private async recordOutcome(c: Conversation, outcome: string): Promise<void> {
    const wait = c.handoffAt && c.claimedAt ? Math.max(0, Math.round((c.claimedAt.getTime() - c.handoffAt.getTime()) / 1000)) : null;
    await this.store.recordHandoffOutcome(c.lang, c.urgent, wait, outcome).catch(() => undefined);
  }

  async transfer(conversationId: string, op: Operator, toOperatorId: string) {
    const to = await this.store.getOperator(toOperatorId);
    if (!to) throw new HandoffError("not_found", "no such operator");
    return this.change(conversationId, op, `transfer:${to.id}`, ["with_operator"], { state: "with_operator", operatorId: to.id });
  }

  private async holding(conversationId: string, op: Operator): Promise<Conversation> {
    const c = await this.store.getConversation(conversationId);
    if (!c) throw new HandoffError("not_found", "no such conversation");
    if (c.state !== "with_operator" || c.operatorId !== op.id) throw new HandoffError("forbidden", "claim the conversation before writing to the person");
    return c;
  }

  async reply(conversationId: string, op: Operator, text: string): Promise<StoredMessage> {
    const c = await this.holding(conversationId, op);
    // With the optional LLM, a reply written in another language than the conversation's reaches the person
    // translated; the original stays in the payload for the operator. Any failure sends the original as written.
    const from = this.llm ? this.writtenIn(text, op, c.lang) : c.lang;
    const translated = this.llm && from !== c.lang ? await this.llm.translate(text, from, c.lang) : undefined;
    const payload = translated ? { operatorId: op.id, original: text, originalLang: from } : { operatorId: op.id };
    const [m] = await this.store.appendMessages(c.id, [{ sender: "operator", kind: "text", text: translated ?? text, payload }]);
    await this.store.audit(op.id, c.id, "reply");
    this.announce(c, [m!]);
    return m!;
  }

  /** The language of an operator's message: as detected, else the conversation's if the operator speaks it, else theirs. */
  private writtenIn(text: string, op: Operator, conversationLang: Lang): Lang {
    const d = detectLanguage(text);
    if (d.confident) return d.lang;
    return op.languages.includes(conversationLang) ? conversationLang : op.languages.find(isLang) ?? "it";
  }

  async sendService(conversationId: string, op: Operator, serviceId: string): Promise<StoredMessage> {
    const c = await this.holding(conversationId, op);
    const s = this.kb.byId.get(serviceId);
    if (!s) throw new HandoffError("not_found", "no such service");
    const text = renderCard(s, { lang: c.lang, t: translator(c.lang), kb: this.kb, checks: checkEligibility(s, c.profile, this.kb.areas) });
    const [m] = await this.store.appendMessages(c.id, [{ sender: "operator", kind: "service", text, payload: { services: [{ id: s.id, name: s.name }], operatorId: op.id } }]);
    this.announce(c, [m!]);
    return m!;
  }

  async note(conversationId: string, op: Operator, text: string): Promise<Note> {
    const c = await this.store.getConversation(conversationId);
    if (!c) throw new HandoffError("not_found", "no such conversation");
    const n = await this.store.addNote(c.id, op.id, text);
    await this.store.audit(op.id, c.id, "note");
    return n;
  }

  /** Claims left untouched for too long go back to the queue, so no conversation is lost with an absent operator. */
  async requeueStale(olderThanMs: number, now = new Date()): Promise<number> {
    const stale = await this.store.staleClaims(new Date(now.getTime() - olderThanMs));
    let n = 0;
    for (const c of stale) {
      const r = await this.store.transition(c.id, ["with_operator"], { state: "waiting_for_operator", operatorId: null });
      if (r) {
        n++;
        await this.store.audit(null, c.id, "requeue-stale-claim");
        this.announce(r.conversation, []);
      }
    }
    return n;
  }
}
