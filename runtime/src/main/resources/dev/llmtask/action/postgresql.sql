-- llmtask idempotent actions: one row per (action, idempotency key).
-- JdbcActionStore.createTableIfMissing() runs this file; to use another table name it replaces
-- "llmtask_action" everywhere. Run it yourself (or copy it into a migration) as you prefer.
-- Times come from the database clock (clock_timestamp()), never from the application's JVMs.
CREATE TABLE IF NOT EXISTS llmtask_action (
  action      varchar(100) NOT NULL,                -- e.g. create_rotation_job
  idem_key    varchar(255) NOT NULL,                -- the caller's idempotency key
  fingerprint char(64)     NOT NULL,                -- SHA-256 hex of the request's canonical JSON
  state       varchar(16)  NOT NULL CHECK (state IN ('claimed', 'completed', 'failed')),
  owner       varchar(64)  NOT NULL,                -- random token of the call that claimed the row
  lease_until timestamptz  NOT NULL,                -- a 'claimed' row may be taken over after this
  result      text,                                 -- the result as JSON, when 'completed'
  failure     varchar(300),                         -- the recorded exception type, when 'failed'
  created_at  timestamptz  NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  expires_at  timestamptz,                          -- end of retention; NULL keeps the row forever
  fence       bigint       NOT NULL DEFAULT 1,      -- grows with every claim: the fencing token
  taken_over  boolean      NOT NULL DEFAULT false,  -- the claim took over one that stored no outcome
  checkpoint  varchar(1000),                        -- the last checkpoint of a claimed run
  PRIMARY KEY (action, idem_key)                    -- the unique constraint that makes the claim atomic
);
CREATE INDEX IF NOT EXISTS llmtask_action_expires_at ON llmtask_action (expires_at) WHERE expires_at IS NOT NULL;
-- tables created by earlier versions get the takeover columns
ALTER TABLE llmtask_action ADD COLUMN IF NOT EXISTS fence bigint NOT NULL DEFAULT 1;
ALTER TABLE llmtask_action ADD COLUMN IF NOT EXISTS taken_over boolean NOT NULL DEFAULT false;
ALTER TABLE llmtask_action ADD COLUMN IF NOT EXISTS checkpoint varchar(1000);
