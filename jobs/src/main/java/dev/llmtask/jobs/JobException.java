package dev.llmtask.jobs;

import java.util.Objects;

/**
 * A job operation refused: {@link #reason()} says why. The message names the job and its type,
 * never its input or result.
 */
public class JobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the operation was refused. */
  public enum Reason {
    /** The job type is not registered with this {@link LlmJobs}: register it on every instance. */
    UNKNOWN_JOB_TYPE,
    /** Jackson cannot write the input as JSON and read it back as the job type's input type. */
    INPUT_NOT_SERIALISABLE,
    /** No job has this id in the jobs table. */
    UNKNOWN_JOB,
    /** The result was fetched before the job succeeded (it is queued, running or failed). */
    NOT_SUCCEEDED,
    /** The result was fetched as another type than its job type's result type. */
    WRONG_RESULT_TYPE,
    /** The database could not be reached, or the tables are missing (the message has the SQLState). */
    STORE_FAILURE
  }

  private final Reason reason;

  JobException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
