package dev.llmtask.action;

import java.util.Objects;

/**
 * The {@link ActionStore} could not be read or written, e.g. the database was unreachable.
 * {@link #failedStep()} says which step failed, and so whether the action may have run: a failed
 * {@link Step#CLAIM claim} means it did not run in this call; a failed {@link Step#CHECKPOINT
 * checkpoint}, {@link Step#OUTCOME outcome} or {@link Step#RELEASE release} means it ran (or was
 * running) and its side effect may exist without a stored result. A retry after the lease then
 * takes the claim over and its body sees {@link ActionContext#takeover()} and the last checkpoint.
 */
public final class ActionStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the store was doing when it failed. */
  public enum Step {
    /** Claiming the key: the action did not run in this call. */
    CLAIM,
    /** Recording a checkpoint from inside the action: the action was running. */
    CHECKPOINT,
    /** Storing the action's result or recorded failure: the action ran, its outcome is not stored. */
    OUTCOME,
    /** Releasing the claim after the action failed: the action ran and failed. */
    RELEASE,
    /** Creating the table or deleting expired entries: no action was involved. */
    MAINTENANCE
  }

  private final Step failedStep;

  ActionStoreException(Step failedStep, String message, Throwable cause) {
    super(message, cause);
    this.failedStep = Objects.requireNonNull(failedStep, "failedStep");
  }

  /** The step that failed. */
  public Step failedStep() {
    return failedStep;
  }

  /**
   * True when the action ran or was running when the store failed ({@link Step#CHECKPOINT},
   * {@link Step#OUTCOME}, {@link Step#RELEASE}): its side effect may exist without a stored outcome.
   */
  public boolean actionMayHaveRun() {
    return failedStep == Step.CHECKPOINT || failedStep == Step.OUTCOME || failedStep == Step.RELEASE;
  }
}
