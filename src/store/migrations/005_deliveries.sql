-- The outbox of push channels (Telegram): every bot, operator or system message stored for such a conversation is
-- pending until a row here says it was delivered. After a crash, pending messages are sent on restart.
CREATE TABLE IF NOT EXISTS deliveries (
  message_id   bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  delivered_at timestamptz NOT NULL DEFAULT now(),
  -- 'sent', or 'refused' when the platform refused it for good (the person blocked the bot).
  result       text NOT NULL DEFAULT 'sent'
);
