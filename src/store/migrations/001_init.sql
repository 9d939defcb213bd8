-- Conversations, their messages, and answer feedback. Same SQL for PGlite and PostgreSQL.
CREATE TABLE IF NOT EXISTS conversations (
  id            text PRIMARY KEY,
  channel       text NOT NULL,
  -- The platform's id for the person's chat (Telegram chat id); null for the web chat.
  external_ref  text,
  -- sha256 of the web chat session token; the token itself is never stored.
  token_hash    text,
  state         text NOT NULL DEFAULT 'bot' CHECK (state IN ('bot', 'waiting_for_operator', 'with_operator', 'closed')),
  lang          text NOT NULL DEFAULT 'it',
  profile       jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Engine memory between turns: last services shown, pending question, failures.
  context       jsonb NOT NULL DEFAULT '{}'::jsonb,
  urgent        boolean NOT NULL DEFAULT false,
  handoff_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS conversations_external ON conversations (channel, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS conversations_queue ON conversations (state, urgent, handoff_at);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at);

CREATE TABLE IF NOT EXISTS messages (
  id              bigserial PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  sender          text NOT NULL CHECK (sender IN ('user', 'bot', 'operator', 'system')),
  kind            text NOT NULL,
  text            text NOT NULL DEFAULT '',
  payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, id);

-- Feedback keeps no link to the person: only the service, the value and the day.
CREATE TABLE IF NOT EXISTS feedback (
  id          bigserial PRIMARY KEY,
  service_ids text[] NOT NULL,
  useful      boolean NOT NULL,
  lang        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
