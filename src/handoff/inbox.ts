import type { Engine } from "../engine/engine.js";
import type { Inbound, TurnResult } from "../engine/messages.js";
import type { Conversation, Store } from "../store/store.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { redactText } from "../privacy/redact.js";
import { KeyedQueue } from "../http/keyed-queue.js";
import type { EventBus } from "./events.js";

/**
 * The one entry point for a person's message from any channel: messages of one conversation are processed in
 * order, one at a time; every stored message and state change is announced on the bus (operators, other channels).
 */
export class Inbox {
  private readonly queue = new KeyedQueue();
  private get kb(): KnowledgeBase {
    return this.engine.kb;
  }
  constructor(private readonly engine: Engine, private readonly store: Store, private readonly bus: EventBus) {}

  receive(conversationId: string, inbound: Inbound, clientId?: string): Promise<TurnResult> {
    return this.queue.run(conversationId, async () => {
      const before = await this.store.getConversation(conversationId);
      // The engine changes the conversation in place: it works on a copy, `before` stays as it was.
      const result = await this.engine.handle(this.store, before ? structuredClone(before) : conversationId, inbound, clientId);
      if (result.replayed) return result;
      if (result.deleted || !before) {
        if (before) this.bus.emit("state", { conversationId, state: "closed", urgent: false, lang: before.lang, operatorId: null });
        return result;
      }
      const after = result.conversation ?? (await this.store.getConversation(conversationId));
      if (inbound.kind === "text" && after) await this.recordStats(before.channel, after, result, inbound.text);
      for (const message of result.stored ?? [])
        this.bus.emit("message", { conversationId, channel: before.channel, externalRef: before.externalRef, message });
      if (after && (after.state !== before.state || after.urgent !== before.urgent))
        this.bus.emit("state", { conversationId, state: after.state, urgent: after.urgent, lang: after.lang, operatorId: after.operatorId });
      return result;
    });
  }

  /** Anonymous figures for the needs report; a failure here never fails the person's turn. */
  private async recordStats(channel: string, c: Conversation, r: TurnResult, text: string): Promise<void> {
    try {
      const first = r.services[0] ? this.kb.byId.get(r.services[0].id) : undefined;
      const fits = r.services.length > 0 && !r.services.every((s) => this.kb.byId.get(s.id)?.general_access_point);
      await this.store.recordTurn({
        channel, lang: c.lang, municipality: c.profile.municipality ?? null, topic: first?.categories[0] ?? null,
        serviceIds: r.services.map((s) => s.id), fits, urgent: r.urgent, handoff: r.handoff,
      });
      if (!fits && !r.urgent) await this.store.recordUnanswered(c.lang, redactText(text));
    } catch {
      /* statistics are best effort */
    }
  }

  /** Erasure outside a turn (the web chat's DELETE), in order with the conversation's messages. */
  erase(conversationId: string): Promise<boolean> {
    return this.queue.run(conversationId, async () => {
      const c = await this.store.getConversation(conversationId);
      const deleted = await this.store.deleteConversation(conversationId);
      if (c && deleted) this.bus.emit("state", { conversationId, state: "closed", urgent: false, lang: c.lang, operatorId: null });
      return deleted;
    });
  }
}
