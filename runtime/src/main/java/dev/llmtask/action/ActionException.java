package dev.llmtask.action;

/**
 * Why {@link IdempotentActions#once once} did not return a result. Messages name the action and the
 * idempotency key, never the request or the result.
 */
public abstract class ActionException extends RuntimeException {
  private final String action;
  private final String idempotencyKey;

  ActionException(String action, String idempotencyKey, String message, Throwable cause) {
    super(message, cause);
    this.action = action;
    this.idempotencyKey = idempotencyKey;
  }

  /** The action name, e.g. {@code create_rotation_job}. */
  public String action() {
    return action;
  }

  /** The idempotency key of the call. */
  public String idempotencyKey() {
    return idempotencyKey;
  }
}
