package dev.llmtask.jobs;

import dev.llmtask.action.ActionBody;
import dev.llmtask.action.ActionOutcome;

/** What a running job knows about itself, given to its {@link JobFunction}. Not thread-safe beyond the job's own thread. */
public interface JobContext {
  /** The job. */
  JobId id();

  /**
   * The job's idempotency key, the same on every attempt on every instance: pass it to the task
   * calls' {@code @IdempotencyKey} parameter. It keys {@link #once} too.
   */
  String idempotencyKey();

  /** This run: 1 for the first, 2 after one retry or one revival of a dead run, …. */
  int attempt();

  /**
   * Reports progress, readable at once through {@link LlmJobs#status}: {@code done} of {@code total}
   * units (pages, items, chunks).
   *
   * @throws IllegalArgumentException unless {@code 0 <= done <= total} and {@code total >= 1}
   */
  void progress(long done, long total);

  /**
   * Runs a side effect once for this job, whatever the number of attempts: {@code IdempotentActions#once}
   * with the job's idempotency key, on the action store of {@link LlmJobs} (by default a
   * {@code JdbcActionStore} on the jobs' database). A repeat returns the stored result.
   *
   * @param action the action's name, e.g. {@code create_ticket}
   * @param request what the action acts on (its fingerprint binds the key)
   * @param resultType the result's type
   * @see dev.llmtask.action.IdempotentActions#once(String, String, Object, Class, ActionBody)
   */
  <R> ActionOutcome<R> once(String action, Object request, Class<R> resultType, ActionBody<R> body);
}
