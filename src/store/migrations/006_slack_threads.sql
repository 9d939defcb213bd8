-- The Slack thread of each conversation posted to the operators' channel, shared by every instance: a thread posted
-- by one instance is answered through any (Slack sends its events to whichever instance the proxy picks), and it
-- survives a restart. Deleted with the conversation.
CREATE TABLE IF NOT EXISTS slack_threads (
  conversation_id text PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  ts              text NOT NULL UNIQUE,
  -- The conversation's state when the post was last updated, and the queue card shown (redacted summary).
  state           text NOT NULL,
  card            jsonb NOT NULL
);
