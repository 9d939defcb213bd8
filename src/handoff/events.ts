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
  /** Listeners for events that happened in this process (the relay to other instances). */
  private readonly local = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
    this.local.setMaxListeners(0);
  }

  /** An event that happened here: delivered to every listener, and to the relay for other instances. */
  emit<K extends keyof ConversationEvents>(event: K, payload: ConversationEvents[K]): void {
    this.deliverLocally(event, payload);
    for (const l of this.local.listeners(event)) safely(l, payload);
  }

  /** An event that happened here or on another instance: delivered to this process's listeners only. */
  deliverLocally<K extends keyof ConversationEvents>(event: K, payload: ConversationEvents[K]): void {
    for (const l of this.emitter.listeners(event)) safely(l, payload);
  }

  on<K extends keyof ConversationEvents>(event: K, listener: (payload: ConversationEvents[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  onLocal<K extends keyof ConversationEvents>(event: K, listener: (payload: ConversationEvents[K]) => void): () => void {
    this.local.on(event, listener);
    return () => this.local.off(event, listener);
  }
}

// A failing listener must never break the turn that emitted the event.
function safely(listener: Function, payload: unknown): void {
  try {
    (listener as (p: unknown) => void)(payload);
  } catch {
    /* listeners log their own errors */
  }
}
