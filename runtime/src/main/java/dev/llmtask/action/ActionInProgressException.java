package dev.llmtask.action;

import java.time.Duration;

/**
 * Another caller holds the claim on this key and did not finish within the configured wait. The
 * action did not run in this call. Retry later: the retry returns the other caller's result, or runs
 * the action if that caller failed or died (after its lease expires).
 */
public final class ActionInProgressException extends ActionException {
  ActionInProgressException(String action, String key, Duration waited) {
    super(action, key, "Action " + action + " with idempotency key '" + key + "' is in progress in another call;"
        + " waited " + waited.toMillis() + " ms without a result. Retry later.", null);
  }
}
