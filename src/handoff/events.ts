import { EventEmitter } from "node:events";
import type { ConversationState, StoredMessage } from "../store/store.js";

/**
 * What happens to conversations, for whoever shows it live: the web chat of the person, the operator console,
 * Slack, Telegram. In one process an EventEmitter; several instances relay it through PostgreSQL.
 */
export interface ConversationEvents {
  /** A message was stored in a conversation (the person's, the bot's, an operator's or the system's). */
  message: { conversationId: string; channel: string; externalRef: string | null; message: StoredMessage };
  /** The conversation entered, left or moved in the operators' queue, or changed hands. */
  state: { conversationId: string; state: ConversationState; urgent: boolean; lang: string; operatorId: string | null };
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof ConversationEvents>(event: K, payload: ConversationEvents[K]): void {
    // A failing listener must never break the turn that emitted the event.
    for (const l of this.emitter.listeners(event)) {
      try {
        (l as (p: ConversationEvents[K]) => void)(payload);
      } catch {
        /* listeners log their own errors */
      }
    }
  }

  on<K extends keyof ConversationEvents>(event: K, listener: (payload: ConversationEvents[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
