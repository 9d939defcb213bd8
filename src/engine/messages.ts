import { z } from "zod";
import type { Lang } from "../language/languages.js";
import type { Conversation } from "../store/store.js";

/** What a channel hands the engine. Adapters translate platform events into these and nothing else. */
export const MAX_TEXT = 4000;

export const InboundSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string().max(MAX_TEXT) }),
  /** A quick-reply button: `value` is what the engine put in the button. */
  z.object({ kind: z.literal("choice"), value: z.string().max(200) }),
  z.object({ kind: z.literal("location"), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  z.object({ kind: z.literal("file"), name: z.string().max(255).optional(), mime: z.string().max(120).optional() }),
  z.object({ kind: z.literal("command"), command: z.enum(["start", "language", "human", "privacy", "delete"]), arg: z.string().max(50).optional() }),
]);
export type Inbound = z.infer<typeof InboundSchema>;

export interface StoredMessageLike {
  id: number;
  conversationId: string;
  sender: "user" | "bot" | "operator" | "system";
  kind: string;
  text: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface QuickReply {
  label: string;
  value: string;
}

export interface ServiceRef {
  id: string;
  name: string;
}

export interface Outbound {
  from: "bot" | "operator" | "system";
  text: string;
  lang: Lang;
  quickReplies?: QuickReply[];
  services?: ServiceRef[];
}

/** What one turn produced: the messages, and flags the channel and the operators' queue care about. */
export interface TurnResult {
  conversationId: string;
  lang: Lang;
  messages: Outbound[];
  urgent: boolean;
  handoff: boolean;
  /** Services named in this turn, best first (emergency lines included). */
  services: ServiceRef[];
  /** The messages as stored (the person's first), for live delivery to operators and other channels. */
  stored?: StoredMessageLike[];
  /** The conversation as this turn stored it (absent when nothing of the bot's was stored). */
  conversation?: Conversation;
  /** The same client message id was seen before: these are the replies stored then, not a new turn. */
  replayed?: boolean;
  /** The person confirmed erasure: the conversation no longer exists. */
  deleted?: boolean;
}
