package dev.llmtask.action;

/**
 * The idempotency key was already used with a different request. The action did not run and the
 * stored entry of the first request is untouched: use a new key for a new request.
 */
public final class IdempotencyKeyReuseException extends ActionException {
  IdempotencyKeyReuseException(String action, String key) {
    super(action, key, "Idempotency key '" + key + "' of action " + action + " was already used with a different"
        + " request; the action did not run again. Use a new key for a new request.", null);
  }
}
