-- Human operators, their sessions, the handoff fields of a conversation, internal notes and the audit log.
CREATE TABLE IF NOT EXISTS operators (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  languages     text[] NOT NULL DEFAULT '{}',
  role          text NOT NULL CHECK (role IN ('operator', 'admin')),
  slack_user_id text UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS operator_sessions (
  -- sha256 of the session cookie value; the cookie itself is never stored.
  id          text PRIMARY KEY,
  operator_id text NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  expires_at  timestamptz NOT NULL,
  last_seen   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS operator_id text REFERENCES operators(id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS claimed_at timestamptz;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS outcome text;

CREATE TABLE IF NOT EXISTS notes (
  id              bigserial PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  operator_id     text REFERENCES operators(id) ON DELETE SET NULL,
  text            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Which operator opened or acted on which conversation, when. Kept after the conversation is deleted.
CREATE TABLE IF NOT EXISTS audit_log (
  id              bigserial PRIMARY KEY,
  operator_id     text,
  conversation_id text,
  action          text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_conversation ON audit_log (conversation_id, at);
