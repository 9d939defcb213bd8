import type { types } from "@slack/bolt";
import { LANGUAGE_NAMES, isLang } from "../../src/language/languages.js";
import { redactText } from "../../src/privacy/redact.js";
import type { StoredMessage } from "../../src/store/store.js";

export const ACTION_TAKE = "orienta_take";
export const ACTION_RELEASE = "orienta_release";
export const ACTION_CLOSE = "orienta_close";
export const SUMMARY_MAX = 200;

/** Slack's three control characters in text: everything a person wrote is shown literally. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * An operator's Slack message as plain text for the person: links and mailto/tel become readable,
 * mentions of Slack users and channels are dropped, entities are decoded.
 */
export function fromSlackText(s: string): string {
  return s
    .replace(/<([a-z][a-z0-9+.-]*:[^>|]+)\|([^>]+)>/gi, (_m, url: string, label: string) => {
      const bare = url.replace(/^(mailto|tel):/i, "");
      return bare === label || url === label || /^(mailto|tel):/i.test(url) ? label : `${label} (${url})`;
    })
    .replace(/<([a-z][a-z0-9+.-]*:[^>]+)>/gi, (_m, url: string) => url.replace(/^(mailto|tel):/i, ""))
    .replace(/<[@#!][^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

/** A stored message of the person, in one line of text (location, file, button shown as such). */
export function describePersonMessage(m: Pick<StoredMessage, "kind" | "text" | "payload">): string {
  switch (m.kind) {
    case "location": {
      const p = m.payload as { lat?: number; lon?: number };
      return `📍 ${p.lat ?? "?"}, ${p.lon ?? "?"}`;
    }
    case "file":
      return `📎 ${m.text || "file"}`;
    case "choice":
      return `🔘 ${m.text}`;
    default:
      return m.text;
  }
}

/** The queue summary: the person's last message, personal identifiers redacted, at most 200 characters. */
export function summarize(text: string): string {
  const flat = redactText(text).replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= SUMMARY_MAX ? flat : `${chars.slice(0, SUMMARY_MAX - 1).join("")}…`;
}

export interface QueueCard {
  conversationId: string;
  lang: string;
  urgent: boolean;
  channel: string;
  topic: string | null;
  municipality: string | null;
  summary: string;
}

const languageName = (lang: string) => (isLang(lang) ? `${LANGUAGE_NAMES[lang]} (${lang})` : lang);

/** The message for the operators' channel: who is waiting, in which language, how urgent, about what; and buttons. */
export function queueBlocks(card: QueueCard, status: string): { text: string; blocks: types.KnownBlock[] } {
  const head = card.urgent ? "🚨 *URGENT* – conversation waiting for an operator" : "Conversation waiting for an operator";
  const text = `${card.urgent ? "URGENT: " : ""}conversation in ${languageName(card.lang)} – ${status}`;
  const quote = card.summary ? card.summary.split("\n").map((l) => `> ${escapeSlack(l)}`).join("\n") : "_(no message)_";
  const blocks: types.KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: head } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Language*\n${languageName(card.lang)}` },
        { type: "mrkdwn", text: `*Urgency*\n${card.urgent ? "urgent" : "normal"}` },
        { type: "mrkdwn", text: `*Topic*\n${escapeSlack(card.topic ?? "–")}` },
        { type: "mrkdwn", text: `*Municipality*\n${escapeSlack(card.municipality ?? "–")}` },
        { type: "mrkdwn", text: `*Channel*\n${escapeSlack(card.channel)}` },
      ],
    },
    { type: "section", text: { type: "mrkdwn", text: quote } },
    { type: "context", elements: [{ type: "mrkdwn", text: status }] },
    {
      type: "actions",
      block_id: "orienta_conversation",
      elements: [
        { type: "button", action_id: ACTION_TAKE, style: "primary", text: { type: "plain_text", text: "Take" }, value: card.conversationId },
        { type: "button", action_id: ACTION_RELEASE, text: { type: "plain_text", text: "Give back to bot" }, value: card.conversationId },
        {
          type: "button",
          action_id: ACTION_CLOSE,
          style: "danger",
          text: { type: "plain_text", text: "Close" },
          value: card.conversationId,
          confirm: {
            title: { type: "plain_text", text: "Close the conversation?" },
            text: { type: "plain_text", text: "The person is told the conversation is closed." },
            confirm: { type: "plain_text", text: "Close" },
            deny: { type: "plain_text", text: "Cancel" },
          },
        },
      ],
    },
  ];
  return { text, blocks };
}
