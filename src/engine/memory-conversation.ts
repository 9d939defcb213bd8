import { randomUUID } from "node:crypto";
import type { Conversation } from "../store/store.js";

/** A conversation that lives only in memory: for the CLI and the evaluation, where nothing is stored. */
export function memoryConversation(channel = "cli"): Conversation {
  const now = new Date();
  return {
    id: randomUUID(), channel, externalRef: null, state: "bot", lang: "it", profile: {}, context: {},
    urgent: false, handoffAt: null, operatorId: null, claimedAt: null, outcome: null, createdAt: now, updatedAt: now,
  };
}
