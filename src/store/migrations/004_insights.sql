-- Anonymous figures for the needs report: one row per turn, with no text and no link to the conversation.
CREATE TABLE IF NOT EXISTS turn_stats (
  id           bigserial PRIMARY KEY,
  day          date NOT NULL DEFAULT current_date,
  channel      text NOT NULL,
  lang         text NOT NULL,
  municipality text,
  topic        text,
  service_ids  text[] NOT NULL DEFAULT '{}',
  fits         boolean NOT NULL,
  urgent       boolean NOT NULL,
  handoff      boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS turn_stats_day ON turn_stats (day);

-- Questions the bot could not answer, redacted (no phones, e-mails, tax codes, IBANs, document numbers), as a to-do
-- list for the knowledge base. No link to the conversation.
CREATE TABLE IF NOT EXISTS unanswered (
  id    bigserial PRIMARY KEY,
  day   date NOT NULL DEFAULT current_date,
  lang  text NOT NULL,
  text  text NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_day ON unanswered (day);

-- Handoff outcomes for the report: waiting time and outcome, no link to the person.
CREATE TABLE IF NOT EXISTS handoff_stats (
  id            bigserial PRIMARY KEY,
  day           date NOT NULL DEFAULT current_date,
  lang          text NOT NULL,
  urgent        boolean NOT NULL,
  wait_seconds  integer,
  outcome       text
);
