package dev.llmtask.jobs;

/**
 * The work of a {@link JobType}: makes the task call(s) with the generated client and returns the
 * result to store. Runs on whichever instance picks the job, possibly more than once (after a
 * retryable failure, or when its instance died): pass {@link JobContext#idempotencyKey()} to the
 * task calls' {@code @IdempotencyKey} parameter and run side effects through
 * {@link JobContext#once}, so that they happen once.
 *
 * @param <I> the input, written to the database as JSON at submission
 * @param <O> the result, stored as JSON
 */
@FunctionalInterface
public interface JobFunction<I, O> {
  /**
   * Runs the job once.
   *
   * @throws Exception to fail this attempt: an {@code LlmTaskException} with a retryable status
   *     ({@code TIMEOUT}, {@code RATE_LIMITED}, {@code PROVIDER_ERROR}) is retried with backoff up
   *     to {@link LlmJobs.Builder#maxAttempts}; any other status fails the job with that status;
   *     other exceptions fail it unless {@link LlmJobs.Builder#retryWhen} says otherwise
   */
  O run(I input, JobContext context) throws Exception;
}
