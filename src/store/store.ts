import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import type { Lang } from "../language/languages.js";
import type { Profile } from "../engine/profile.js";
import type { SqlClient } from "./sql.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";

export type ConversationState = "bot" | "waiting_for_operator" | "with_operator" | "closed";
export type Sender = "user" | "bot" | "operator" | "system";

/** Engine memory between turns. */
export interface ConversationContext {
  lastServices?: string[];
  lastQuery?: string;
  /** The profile question the bot asked and is waiting for. */
  pending?: string;
  /** Profile fields already asked (never asked twice). */
  asked?: string[];
  failures?: number;
  greeted?: boolean;
  /** The person chose the language with the switcher: detection no longer overrides it on short messages. */
  langChosen?: boolean;
  pendingDelete?: boolean;
}

export interface Conversation {
  id: string;
  channel: string;
  externalRef: string | null;
  state: ConversationState;
  lang: Lang;
  profile: Profile;
  context: ConversationContext;
  urgent: boolean;
  handoffAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredMessage {
  id: number;
  conversationId: string;
  sender: Sender;
  kind: string;
  text: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface NewMessage {
  sender: Sender;
  kind: string;
  text: string;
  payload?: Record<string, unknown>;
}

export interface Store {
  createConversation(input: { channel: string; externalRef?: string; tokenHash?: string; lang?: Lang }): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | undefined>;
  findByExternalRef(channel: string, externalRef: string): Promise<Conversation | undefined>;
  getTokenHash(id: string): Promise<string | undefined>;
  /** Saves the conversation's mutable fields and appends messages, in one transaction. */
  saveTurn(conversation: Conversation, messages: NewMessage[]): Promise<StoredMessage[]>;
  listMessages(conversationId: string, afterId?: number): Promise<StoredMessage[]>;
  /** Place in the operators' queue (1 = next) of a conversation waiting since `since`: urgent first, then by waiting time. */
  queuePosition(conversationId: string, urgent: boolean, since: Date): Promise<number>;
  deleteConversation(id: string): Promise<boolean>;
  addFeedback(serviceIds: string[], useful: boolean, lang: Lang): Promise<void>;
  close(): Promise<void>;
}

interface ConversationRow {
  id: string;
  channel: string;
  external_ref: string | null;
  state: ConversationState;
  lang: Lang;
  profile: Profile;
  context: ConversationContext;
  urgent: boolean;
  handoff_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface MessageRow {
  id: number | string;
  conversation_id: string;
  sender: Sender;
  kind: string;
  text: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));

function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    channel: r.channel,
    externalRef: r.external_ref,
    state: r.state,
    lang: r.lang,
    profile: r.profile ?? {},
    context: r.context ?? {},
    urgent: r.urgent,
    handoffAt: r.handoff_at ? toDate(r.handoff_at) : null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

function toMessage(r: MessageRow): StoredMessage {
  return {
    id: Number(r.id),
    conversationId: r.conversation_id,
    sender: r.sender,
    kind: r.kind,
    text: r.text,
    payload: r.payload ?? {},
    createdAt: toDate(r.created_at),
  };
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), "migrations");

async function migrate(db: SqlClient): Promise<void> {
  await db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
  const done = new Set((await db.query<{ name: string }>("SELECT name FROM schema_migrations")).rows.map((r) => r.name));
  for (const file of readdirSync(migrationsDir).filter((f) => f.endsWith(".sql")).sort()) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(migrationsDir, file), "utf8");
    await db.exec(sql);
    await db.query("INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING", [file]);
  }
}

export class SqlStore implements Store {
  constructor(private readonly db: SqlClient) {}

  static async open(db: SqlClient): Promise<SqlStore> {
    await migrate(db);
    return new SqlStore(db);
  }

  async createConversation(input: { channel: string; externalRef?: string; tokenHash?: string; lang?: Lang }): Promise<Conversation> {
    const { rows } = await this.db.query<ConversationRow>(
      `INSERT INTO conversations (id, channel, external_ref, token_hash, lang) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [randomUUID(), input.channel, input.externalRef ?? null, input.tokenHash ?? null, input.lang ?? "it"],
    );
    return toConversation(rows[0]!);
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>("SELECT * FROM conversations WHERE id = $1", [id]);
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  async findByExternalRef(channel: string, externalRef: string): Promise<Conversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>("SELECT * FROM conversations WHERE channel = $1 AND external_ref = $2", [channel, externalRef]);
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  async getTokenHash(id: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ token_hash: string | null }>("SELECT token_hash FROM conversations WHERE id = $1", [id]);
    return rows[0]?.token_hash ?? undefined;
  }

  async saveTurn(c: Conversation, messages: NewMessage[]): Promise<StoredMessage[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE conversations SET state = $2, lang = $3, profile = $4, context = $5, urgent = $6, handoff_at = $7, updated_at = now() WHERE id = $1`,
        [c.id, c.state, c.lang, JSON.stringify(c.profile), JSON.stringify(c.context), c.urgent, c.handoffAt],
      );
      const stored: StoredMessage[] = [];
      for (const m of messages) {
        const { rows } = await tx.query<MessageRow>(
          `INSERT INTO messages (conversation_id, sender, kind, text, payload) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
          [c.id, m.sender, m.kind, m.text, JSON.stringify(m.payload ?? {})],
        );
        stored.push(toMessage(rows[0]!));
      }
      return stored;
    });
  }

  async listMessages(conversationId: string, afterId = 0): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      "SELECT * FROM messages WHERE conversation_id = $1 AND id > $2 ORDER BY id",
      [conversationId, afterId],
    );
    return rows.map(toMessage);
  }

  async queuePosition(conversationId: string, urgent: boolean, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ ahead: number | string }>(
      `SELECT count(*) AS ahead FROM conversations
       WHERE state = 'waiting_for_operator' AND id <> $1
         AND ((urgent AND NOT $2) OR (urgent = $2 AND handoff_at < $3))`,
      [conversationId, urgent, since],
    );
    return Number(rows[0]?.ahead ?? 0) + 1;
  }

  async deleteConversation(id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>("DELETE FROM conversations WHERE id = $1 RETURNING id", [id]);
    return rows.length > 0;
  }

  async addFeedback(serviceIds: string[], useful: boolean, lang: Lang): Promise<void> {
    await this.db.query("INSERT INTO feedback (service_ids, useful, lang, created_at) VALUES ($1, $2, $3, date_trunc('day', now()))", [serviceIds, useful, lang]);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** PostgreSQL when a URL is given, else embedded PGlite under `dataDir` (in memory when undefined). */
export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  return SqlStore.open(db);
}
