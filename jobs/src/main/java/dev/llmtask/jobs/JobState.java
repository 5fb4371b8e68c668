package dev.llmtask.jobs;

/** Where a job stands. */
public enum JobState {
  /** Submitted and waiting for an instance, or waiting for its next attempt after a retryable failure. */
  QUEUED,
  /** An instance runs it (or ran it and died: another instance revives the run after the heartbeat timeout). */
  RUNNING,
  /** It returned a result; {@link LlmJobs#result} fetches it. Final. */
  SUCCEEDED,
  /** It failed with a non-retryable failure, or a retryable one on its last attempt. Final. */
  FAILED;

  boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
