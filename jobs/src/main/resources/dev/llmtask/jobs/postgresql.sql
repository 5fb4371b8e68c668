-- llmtask background jobs: two tables. LlmJobs.createTablesIfMissing() runs this file; to use another
-- name it replaces "llmtask_job" everywhere (so the engine's table becomes <name>_execution). Run it
-- yourself (or copy it into a migration) as you prefer.
-- Times come from the database clock (clock_timestamp()), never from the application's JVMs.

-- one row per job: what was submitted, where it stands, and its result; kept after the job ends
CREATE TABLE IF NOT EXISTS llmtask_job (
  id             varchar(64)  PRIMARY KEY,                -- the JobId, also the job's idempotency key
  job_type       varchar(100) NOT NULL,                   -- the JobType's name, e.g. summarise_document
  state          varchar(16)  NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  attempts       integer      NOT NULL DEFAULT 0,         -- runs started; the last run's number fences its writes
  progress_done  bigint,                                  -- JobContext.progress(done, total) of the last run
  progress_total bigint,
  input          text         NOT NULL,                   -- the input as JSON
  result         text,                                    -- the result as JSON, when 'succeeded'
  call_status    varchar(32),                             -- the CallStatus of the last failed task call
  failure        varchar(300),                            -- the last failure: a CallStatus or an exception type
  submitted_at   timestamptz  NOT NULL DEFAULT clock_timestamp(),
  started_at     timestamptz,                             -- the last run's start
  finished_at    timestamptz,
  updated_at     timestamptz  NOT NULL DEFAULT clock_timestamp()
);

-- db-scheduler's table (its PostgreSQL schema): one row per job still to run, picked by one instance at
-- a time, with the heartbeat that lets another instance revive the run of a dead one
CREATE TABLE IF NOT EXISTS llmtask_job_execution (
  task_name            text        NOT NULL,
  task_instance        text        NOT NULL,
  task_data            bytea,
  execution_time       timestamptz NOT NULL,
  picked               boolean     NOT NULL,
  picked_by            text,
  last_success         timestamptz,
  last_failure         timestamptz,
  consecutive_failures integer,
  last_heartbeat       timestamptz,
  version              bigint      NOT NULL,
  priority             smallint,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX IF NOT EXISTS llmtask_job_execution_time_idx ON llmtask_job_execution (execution_time);
CREATE INDEX IF NOT EXISTS llmtask_job_execution_heartbeat_idx ON llmtask_job_execution (last_heartbeat);
CREATE INDEX IF NOT EXISTS llmtask_job_execution_priority_idx ON llmtask_job_execution (priority DESC, execution_time ASC);
