-- llmtask batch state (PostgreSQL). LlmBatches.createTablesIfMissing() runs this file.
-- One row per provider batch (a submission is split into parts by model and by the API's limits),
-- one row per item: the custom id sent to the provider, the caller's key, the input and its outcome.
CREATE TABLE IF NOT EXISTS llmtask_batch_part (
  submission        text        NOT NULL,
  part              integer     NOT NULL,
  job               text        NOT NULL,
  api               text        NOT NULL,
  task              text        NOT NULL,
  prompt_version    text        NOT NULL,
  model             text        NOT NULL,
  items             integer     NOT NULL,
  state             text        NOT NULL,  -- new, submitted, finished
  provider_batch_id text,
  provider_status   text,
  lease_owner       text,
  lease_until       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at       timestamptz,
  PRIMARY KEY (submission, part)
);
CREATE INDEX IF NOT EXISTS llmtask_batch_part_open ON llmtask_batch_part (state) WHERE state <> 'finished';

CREATE TABLE IF NOT EXISTS llmtask_batch_item (
  submission    text        NOT NULL,
  custom_id     text        NOT NULL,
  seq           integer     NOT NULL,
  part          integer     NOT NULL,
  item_key      text        NOT NULL,
  input         text        NOT NULL,
  status        text,                    -- null until reconciled
  answer        text,                    -- the accepted answer's JSON text
  reason        text,
  reasked       boolean     NOT NULL DEFAULT false,
  input_tokens  bigint,
  output_tokens bigint,
  cost_usd      numeric,
  finished_at   timestamptz,
  PRIMARY KEY (submission, custom_id),
  UNIQUE (submission, item_key)
);
CREATE INDEX IF NOT EXISTS llmtask_batch_item_part ON llmtask_batch_item (submission, part);
