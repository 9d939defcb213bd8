-- A client may send the same message again after a lost reply (a crash, a dropped connection): the id it gives each
-- message makes the second delivery a replay of the first, never a duplicate.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS client_id text;
CREATE UNIQUE INDEX IF NOT EXISTS messages_client_id ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;
