package dev.llmtask.action;

/**
 * The action failed, or ran but its outcome could not be recorded; {@link #reason()} tells which.
 * Exceptions the action throws unchecked reach the caller unchanged; only checked ones are wrapped
 * here ({@link Reason#THREW}).
 */
public final class ActionFailedException extends ActionException {

  /** What went wrong. */
  public enum Reason {
    /** The action threw a checked exception (the {@link #getCause() cause}). */
    THREW,
    /** An earlier call with this key failed and the failure was recorded; the action does not run again. */
    FAILED_EARLIER,
    /**
     * The action ran but its result could not be written and read back as JSON. The key is recorded
     * as failed, so the action does not run a second time; fix the result type (Jackson must read it back).
     */
    RESULT_NOT_STORABLE,
    /**
     * The action ran but took longer than its lease, and another caller took the claim over and may
     * have run it too. Give the action a lease longer than it can take.
     */
    LEASE_LOST
  }

  private final Reason reason;
  private final String failureType;

  ActionFailedException(String action, String key, Reason reason, String failureType, Throwable cause) {
    super(action, key, message(action, key, reason, failureType), cause);
    this.reason = reason;
    this.failureType = failureType;
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  /**
   * The exception type (class name) the action failed with: the recorded one for
   * {@link Reason#FAILED_EARLIER}, the thrown one for {@link Reason#THREW}; for
   * {@link Reason#RESULT_NOT_STORABLE} the result type, with Jackson's error type and the property
   * path; {@code null} for {@link Reason#LEASE_LOST}.
   */
  public String failureType() {
    return failureType;
  }

  private static String message(String action, String key, Reason reason, String failureType) {
    String subject = "Action " + action + " with idempotency key '" + key + "'";
    return switch (reason) {
      case THREW -> subject + " failed with " + failureType + "; its claim was handled by the failure rule.";
      case FAILED_EARLIER -> subject + " failed earlier with " + failureType
          + " and that failure is recorded; it does not run again for this key.";
      case RESULT_NOT_STORABLE -> subject + " ran, but its result could not be stored as JSON and read back as "
          + failureType + "; the key is recorded as failed so the action does not run twice.";
      case LEASE_LOST -> subject + " ran longer than its lease and another call took the claim over; it may have"
          + " run twice. Configure a lease longer than the action can take.";
    };
  }
}
