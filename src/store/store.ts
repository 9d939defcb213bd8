import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { Lang } from "../language/languages.js";
import type { Profile } from "../engine/profile.js";
import type { SqlClient } from "./sql.js";
import { fromRoot } from "../root.js";

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
  operatorId: string | null;
  claimedAt: Date | null;
  outcome: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TurnStats {
  channel: string;
  lang: string;
  municipality: string | null;
  topic: string | null;
  serviceIds: string[];
  fits: boolean;
  urgent: boolean;
  handoff: boolean;
}

export interface Operator {
  id: string;
  username: string;
  languages: string[];
  role: "operator" | "admin";
  slackUserId: string | null;
}

export interface OperatorSession {
  operator: Operator;
  csrfToken: string;
  expiresAt: Date;
}

export interface Note {
  id: number;
  conversationId: string;
  operatorId: string | null;
  text: string;
  createdAt: Date;
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
  /** The sender's own id for the message (idempotency): stored once per conversation. */
  clientId?: string;
}

/** A conversation's post in the Slack operators' channel. `card` is what the post shows (adapters/slack/format.ts). */
export interface SlackThread {
  conversationId: string;
  ts: string;
  state: ConversationState;
  card: Record<string, unknown>;
}

export interface Store {
  createConversation(input: { channel: string; externalRef?: string; tokenHash?: string; lang?: Lang }): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | undefined>;
  findByExternalRef(channel: string, externalRef: string): Promise<Conversation | undefined>;
  getTokenHash(id: string): Promise<string | undefined>;
  /**
   * Saves the conversation's mutable fields and appends messages, in one transaction. With `expectedState`, if the
   * state changed meanwhile (an operator claimed it), only the person's messages are stored and `conflict` is true.
   */
  saveTurn(conversation: Conversation, messages: NewMessage[], expectedState?: ConversationState): Promise<{ messages: StoredMessage[]; conflict: boolean }>;
  listMessages(conversationId: string, afterId?: number): Promise<StoredMessage[]>;
  /** The person's message with this client id, and the replies stored with it (a replay after a lost answer). */
  findTurn(conversationId: string, clientId: string): Promise<StoredMessage[] | undefined>;
  /** Place in the operators' queue (1 = next) of a conversation waiting since `since`: urgent first, then by waiting time. */
  queuePosition(conversationId: string, urgent: boolean, since: Date): Promise<number>;
  deleteConversation(id: string): Promise<boolean>;
  addFeedback(serviceIds: string[], useful: boolean, lang: Lang): Promise<void>;
  /** Outbox of push channels: marks stored messages as delivered (or refused for good). */
  markDelivered(messageIds: number[], result?: "sent" | "refused"): Promise<void>;
  /** Bot, operator and system messages of this channel's conversations stored since `since` and not yet delivered. */
  pendingDeliveries(channel: string, since: Date): Promise<{ externalRef: string; message: StoredMessage }[]>;
  /** Anonymous figures of one turn for the needs report (no text, no conversation id). */
  recordTurn(stats: TurnStats): Promise<void>;
  /** Waiting time and outcome of a closed handoff (no link to the person). */
  recordHandoffOutcome(lang: string, urgent: boolean, waitSeconds: number | null, outcome: string): Promise<void>;
  /** A question the bot could not answer, already redacted. */
  recordUnanswered(lang: string, redactedText: string): Promise<void>;
  /** The raw SQL client, for read-only reports over the anonymous tables. */
  readonly sql: Pick<SqlClient, "query">;
  /** Runs a periodic job unless another instance is running it now (advisory lock); undefined when skipped. */
  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T | undefined>;
  /** Retention: deletes conversations (and their messages, notes) not updated since `before`; returns how many. */
  deleteOlderThan(before: Date): Promise<number>;

  /** Conversations waiting for an operator, urgent first, then by waiting time. */
  listQueue(): Promise<Conversation[]>;
  /** Conversations held by operators whose claim is older than `before` with no operator message since. */
  staleClaims(before: Date): Promise<Conversation[]>;
  /** Atomically moves a conversation to `state` if it is currently in one of `from`; returns it, or undefined. */
  transition(id: string, from: ConversationState[], change: { state: ConversationState; operatorId?: string | null; outcome?: string | null; urgent?: boolean }, messages?: NewMessage[]): Promise<{ conversation: Conversation; messages: StoredMessage[] } | undefined>;
  appendMessages(conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]>;

  createOperator(input: { username: string; passwordHash: string; languages: string[]; role: "operator" | "admin"; slackUserId?: string }): Promise<Operator>;
  findOperator(username: string): Promise<(Operator & { passwordHash: string }) | undefined>;
  getOperator(id: string): Promise<Operator | undefined>;
  findOperatorBySlack(slackUserId: string): Promise<Operator | undefined>;
  listOperators(): Promise<Operator[]>;
  /** The Slack thread of a conversation (by conversation, or by the thread's ts), shared by every instance. */
  getSlackThread(by: { conversationId: string } | { ts: string }): Promise<SlackThread | undefined>;
  saveSlackThread(thread: SlackThread): Promise<void>;
  createSession(sessionHash: string, operatorId: string, csrfToken: string, expiresAt: Date): Promise<void>;
  getSession(sessionHash: string): Promise<OperatorSession | undefined>;
  touchSession(sessionHash: string, expiresAt: Date): Promise<void>;
  deleteSession(sessionHash: string): Promise<void>;

  addNote(conversationId: string, operatorId: string, text: string): Promise<Note>;
  listNotes(conversationId: string): Promise<Note[]>;
  audit(operatorId: string | null, conversationId: string | null, action: string): Promise<void>;
  listAudit(conversationId: string): Promise<{ operatorId: string | null; action: string; at: Date }[]>;
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
  operator_id: string | null;
  claimed_at: Date | string | null;
  outcome: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface OperatorRow {
  id: string;
  username: string;
  password_hash: string;
  languages: string[];
  role: "operator" | "admin";
  slack_user_id: string | null;
}

const toOperator = (r: OperatorRow): Operator => ({ id: r.id, username: r.username, languages: r.languages, role: r.role, slackUserId: r.slack_user_id });

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
    operatorId: r.operator_id,
    claimedAt: r.claimed_at ? toDate(r.claimed_at) : null,
    outcome: r.outcome,
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

/**
 * Adds each message's columns (sender, kind, text, payload, client_id) to a statement's `values`; returns, per message,
 * their placeholders ("$4", "$5"…).
 */
function messageParams(values: unknown[], messages: NewMessage[]): string[][] {
  return messages.map((m) => {
    values.push(m.sender, m.kind, m.text, JSON.stringify(m.payload ?? {}), m.clientId ?? null);
    const n = values.length;
    return [n - 4, n - 3, n - 2, n - 1, n].map((k) => `$${k}`);
  });
}

/** Appends messages to a conversation inside the caller's transaction, in order. */
async function insertMessages(tx: Pick<SqlClient, "query">, conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]> {
  if (!messages.length) return [];
  // One statement for the whole turn; ids come from the sequence in the order of the rows.
  const values: unknown[] = [conversationId];
  const rows = messageParams(values, messages).map((p) => `($1, ${p.join(", ")})`);
  const { rows: inserted } = await tx.query<MessageRow>(
    `INSERT INTO messages (conversation_id, sender, kind, text, payload, client_id) VALUES ${rows.join(", ")} RETURNING *`,
    values,
  );
  return inserted.map(toMessage).sort((a, b) => a.id - b.id);
}

/** Read from the sources (src/), also when the code runs from dist/. */
const migrationsDir = fromRoot("src/store/migrations");

/** Lock keys of the jobs that only one instance runs at a time. */
export const LOCKS = { migrations: 4242001, retention: 4242002, requeue: 4242003, telegramPolling: 4242004 } as const;

async function migrate(db: SqlClient): Promise<void> {
  await db.serialized(LOCKS.migrations, () => applyMigrations(db));
}

async function applyMigrations(db: SqlClient): Promise<void> {
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

  get sql(): Pick<SqlClient, "query"> {
    return this.db;
  }

  async markDelivered(messageIds: number[], result: "sent" | "refused" = "sent"): Promise<void> {
    if (messageIds.length === 0) return;
    await this.db.query(
      "INSERT INTO deliveries (message_id, result) SELECT unnest($1::bigint[]), $2 ON CONFLICT (message_id) DO NOTHING",
      [messageIds, result],
    );
  }

  async pendingDeliveries(channel: string, since: Date): Promise<{ externalRef: string; message: StoredMessage }[]> {
    const { rows } = await this.db.query<MessageRow & { external_ref: string }>(
      `SELECT m.*, c.external_ref FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = $1 AND c.external_ref IS NOT NULL AND m.sender <> 'user' AND m.created_at >= $2
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id)
       ORDER BY m.id`,
      [channel, since],
    );
    return rows.map((r) => ({ externalRef: r.external_ref, message: toMessage(r) }));
  }

  async recordTurn(t: TurnStats): Promise<void> {
    await this.db.query(
      "INSERT INTO turn_stats (channel, lang, municipality, topic, service_ids, fits, urgent, handoff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [t.channel, t.lang, t.municipality, t.topic, t.serviceIds, t.fits, t.urgent, t.handoff],
    );
  }

  async recordHandoffOutcome(lang: string, urgent: boolean, waitSeconds: number | null, outcome: string): Promise<void> {
    await this.db.query("INSERT INTO handoff_stats (lang, urgent, wait_seconds, outcome) VALUES ($1, $2, $3, $4)", [lang, urgent, waitSeconds, outcome.slice(0, 200)]);
  }

  async recordUnanswered(lang: string, redactedText: string): Promise<void> {
    await this.db.query("INSERT INTO unanswered (lang, text) VALUES ($1, $2)", [lang, redactedText.slice(0, 500)]);
  }

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

  async saveTurn(c: Conversation, messages: NewMessage[], expectedState?: ConversationState): Promise<{ messages: StoredMessage[]; conflict: boolean }> {
    // One statement, so atomic without a transaction (a transaction is four round trips: BEGIN, UPDATE, INSERT,
    // COMMIT). The update is conditional: if an operator changed the state meanwhile, no row is updated and only the
    // person's messages are stored (the bot's part is dropped).
    const values: unknown[] = [c.id, c.state, c.lang, JSON.stringify(c.profile), JSON.stringify(c.context), c.urgent, c.handoffAt, expectedState ?? null];
    const update = `UPDATE conversations SET state = $2, lang = $3, profile = $4, context = $5, urgent = $6, handoff_at = $7, updated_at = now()
       WHERE id = $1 AND ($8::text IS NULL OR state = $8) RETURNING id`;
    if (!messages.length) {
      const { rows } = await this.db.query(update, values);
      return { messages: [], conflict: expectedState !== undefined && rows.length === 0 };
    }
    const rows = messageParams(values, messages).map(([sender, kind, text, payload, clientId], i) =>
      `(${i}, ${sender}::text, ${kind}::text, ${text}::text, ${payload}::jsonb, ${clientId}::text)`);
    // Ids come from the sequence in the order of the rows. The outer join returns one row even when nothing was
    // inserted, with the number of conversations updated (0 or 1).
    const { rows: result } = await this.db.query<MessageRow & { updated: number | string }>(
      `WITH updated AS (${update}),
       turn (ord, sender, kind, text, payload, client_id) AS (VALUES ${rows.join(", ")}),
       inserted AS (
         INSERT INTO messages (conversation_id, sender, kind, text, payload, client_id)
         SELECT $1, sender, kind, text, payload, client_id FROM turn
         WHERE sender = 'user' OR $8::text IS NULL OR EXISTS (SELECT 1 FROM updated) ORDER BY ord
         RETURNING *)
       SELECT inserted.*, (SELECT count(*) FROM updated) AS updated FROM (SELECT 1) one LEFT JOIN inserted ON true`,
      values,
    );
    const conflict = expectedState !== undefined && Number(result[0]?.updated ?? 0) === 0;
    return { messages: result.filter((r) => r.id !== null).map(toMessage).sort((a, b) => a.id - b.id), conflict };
  }

  async listMessages(conversationId: string, afterId = 0): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      "SELECT * FROM messages WHERE conversation_id = $1 AND id > $2 ORDER BY id",
      [conversationId, afterId],
    );
    return rows.map(toMessage);
  }

  async findTurn(conversationId: string, clientId: string): Promise<StoredMessage[] | undefined> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT m.* FROM messages m, (SELECT id FROM messages WHERE conversation_id = $1 AND client_id = $2) first
       WHERE m.conversation_id = $1 AND m.id >= first.id
         AND m.id < COALESCE((SELECT min(id) FROM messages WHERE conversation_id = $1 AND sender = 'user' AND id > first.id), 9223372036854775807)
       ORDER BY m.id`,
      [conversationId, clientId],
    );
    return rows.length ? rows.map(toMessage) : undefined;
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

  exclusive<T>(key: number, fn: () => Promise<T>): Promise<T | undefined> {
    return this.db.exclusive(key, fn);
  }

  async deleteOlderThan(before: Date): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>("DELETE FROM conversations WHERE updated_at < $1 RETURNING id", [before]);
    await this.db.query("DELETE FROM operator_sessions WHERE expires_at < now()");
    return rows.length;
  }

  async listQueue(): Promise<Conversation[]> {
    const { rows } = await this.db.query<ConversationRow>(
      "SELECT * FROM conversations WHERE state = 'waiting_for_operator' ORDER BY urgent DESC, handoff_at ASC, id",
    );
    return rows.map(toConversation);
  }

  async staleClaims(before: Date): Promise<Conversation[]> {
    const { rows } = await this.db.query<ConversationRow>(
      `SELECT c.* FROM conversations c
       WHERE c.state = 'with_operator' AND c.claimed_at < $1
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'operator' AND m.created_at >= $1)`,
      [before],
    );
    return rows.map(toConversation);
  }

  async transition(
    id: string,
    from: ConversationState[],
    change: { state: ConversationState; operatorId?: string | null; outcome?: string | null; urgent?: boolean },
    messages: NewMessage[] = [],
  ): Promise<{ conversation: Conversation; messages: StoredMessage[] } | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<ConversationRow>(
        `UPDATE conversations SET
           state = $3,
           operator_id = CASE WHEN $4::boolean THEN $5 ELSE operator_id END,
           claimed_at = CASE WHEN $3 = 'with_operator' THEN now() ELSE NULL END,
           handoff_at = CASE WHEN $3 = 'waiting_for_operator' THEN COALESCE(handoff_at, now()) WHEN $3 IN ('bot', 'closed') THEN NULL ELSE handoff_at END,
           outcome = CASE WHEN $6::boolean THEN $7 ELSE outcome END,
           urgent = CASE WHEN $3 IN ('bot', 'closed') THEN false ELSE COALESCE($8, urgent) END,
           updated_at = now()
         WHERE id = $1 AND state = ANY($2::text[]) RETURNING *`,
        [id, from, change.state, change.operatorId !== undefined, change.operatorId ?? null, change.outcome !== undefined, change.outcome ?? null, change.urgent ?? null],
      );
      if (!rows[0]) return undefined;
      return { conversation: toConversation(rows[0]), messages: await insertMessages(tx, id, messages) };
    });
  }

  async appendMessages(conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]> {
    return this.db.transaction(async (tx) => {
      const stored = await insertMessages(tx, conversationId, messages);
      await tx.query("UPDATE conversations SET updated_at = now() WHERE id = $1", [conversationId]);
      return stored;
    });
  }

  async createOperator(input: { username: string; passwordHash: string; languages: string[]; role: "operator" | "admin"; slackUserId?: string }): Promise<Operator> {
    const { rows } = await this.db.query<OperatorRow>(
      "INSERT INTO operators (id, username, password_hash, languages, role, slack_user_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
      [randomUUID(), input.username, input.passwordHash, input.languages, input.role, input.slackUserId ?? null],
    );
    return toOperator(rows[0]!);
  }

  async findOperator(username: string): Promise<(Operator & { passwordHash: string }) | undefined> {
    const { rows } = await this.db.query<OperatorRow>("SELECT * FROM operators WHERE username = $1", [username]);
    return rows[0] ? { ...toOperator(rows[0]), passwordHash: rows[0].password_hash } : undefined;
  }

  async getOperator(id: string): Promise<Operator | undefined> {
    const { rows } = await this.db.query<OperatorRow>("SELECT * FROM operators WHERE id = $1", [id]);
    return rows[0] ? toOperator(rows[0]) : undefined;
  }

  async findOperatorBySlack(slackUserId: string): Promise<Operator | undefined> {
    const { rows } = await this.db.query<OperatorRow>("SELECT * FROM operators WHERE slack_user_id = $1", [slackUserId]);
    return rows[0] ? toOperator(rows[0]) : undefined;
  }

  async getSlackThread(by: { conversationId: string } | { ts: string }): Promise<SlackThread | undefined> {
    const [column, value] = "ts" in by ? ["ts", by.ts] : ["conversation_id", by.conversationId];
    const { rows } = await this.db.query<{ conversation_id: string; ts: string; state: ConversationState; card: Record<string, unknown> }>(
      `SELECT * FROM slack_threads WHERE ${column} = $1`,
      [value],
    );
    const r = rows[0];
    return r ? { conversationId: r.conversation_id, ts: r.ts, state: r.state, card: r.card } : undefined;
  }

  async saveSlackThread(t: SlackThread): Promise<void> {
    await this.db.query(
      `INSERT INTO slack_threads (conversation_id, ts, state, card) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id) DO UPDATE SET ts = EXCLUDED.ts, state = EXCLUDED.state, card = EXCLUDED.card`,
      [t.conversationId, t.ts, t.state, JSON.stringify(t.card)],
    );
  }

  async listOperators(): Promise<Operator[]> {
    const { rows } = await this.db.query<OperatorRow>("SELECT * FROM operators ORDER BY username");
    return rows.map(toOperator);
  }

  async createSession(sessionHash: string, operatorId: string, csrfToken: string, expiresAt: Date): Promise<void> {
    await this.db.query("INSERT INTO operator_sessions (id, operator_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)", [sessionHash, operatorId, csrfToken, expiresAt]);
  }

  async getSession(sessionHash: string): Promise<OperatorSession | undefined> {
    const { rows } = await this.db.query<OperatorRow & { csrf_token: string; expires_at: Date | string }>(
      `SELECT o.*, s.csrf_token, s.expires_at FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
       WHERE s.id = $1 AND s.expires_at > now()`,
      [sessionHash],
    );
    const r = rows[0];
    return r ? { operator: toOperator(r), csrfToken: r.csrf_token, expiresAt: toDate(r.expires_at) } : undefined;
  }

  async touchSession(sessionHash: string, expiresAt: Date): Promise<void> {
    await this.db.query("UPDATE operator_sessions SET last_seen = now(), expires_at = $2 WHERE id = $1", [sessionHash, expiresAt]);
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.db.query("DELETE FROM operator_sessions WHERE id = $1", [sessionHash]);
  }

  async addNote(conversationId: string, operatorId: string, text: string): Promise<Note> {
    const { rows } = await this.db.query<{ id: number | string; conversation_id: string; operator_id: string | null; text: string; created_at: Date | string }>(
      "INSERT INTO notes (conversation_id, operator_id, text) VALUES ($1, $2, $3) RETURNING *",
      [conversationId, operatorId, text],
    );
    const r = rows[0]!;
    return { id: Number(r.id), conversationId: r.conversation_id, operatorId: r.operator_id, text: r.text, createdAt: toDate(r.created_at) };
  }

  async listNotes(conversationId: string): Promise<Note[]> {
    const { rows } = await this.db.query<{ id: number | string; conversation_id: string; operator_id: string | null; text: string; created_at: Date | string }>(
      "SELECT * FROM notes WHERE conversation_id = $1 ORDER BY id",
      [conversationId],
    );
    return rows.map((r) => ({ id: Number(r.id), conversationId: r.conversation_id, operatorId: r.operator_id, text: r.text, createdAt: toDate(r.created_at) }));
  }

  async audit(operatorId: string | null, conversationId: string | null, action: string): Promise<void> {
    await this.db.query("INSERT INTO audit_log (operator_id, conversation_id, action) VALUES ($1, $2, $3)", [operatorId, conversationId, action]);
  }

  async listAudit(conversationId: string): Promise<{ operatorId: string | null; action: string; at: Date }[]> {
    const { rows } = await this.db.query<{ operator_id: string | null; action: string; at: Date | string }>(
      "SELECT operator_id, action, at FROM audit_log WHERE conversation_id = $1 ORDER BY id",
      [conversationId],
    );
    return rows.map((r) => ({ operatorId: r.operator_id, action: r.action, at: toDate(r.at) }));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** PostgreSQL when a URL is given, else embedded PGlite under `dataDir` (in memory when undefined). */
export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  // Only the driver in use is loaded (pg or PGlite's WebAssembly build), not both.
  const db = opts.databaseUrl
    ? await (await import("./postgres.js")).openPostgres(opts.databaseUrl)
    : await (await import("./pglite.js")).openPglite(opts.dataDir);
  return SqlStore.open(db);
}
