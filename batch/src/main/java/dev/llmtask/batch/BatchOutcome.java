package dev.llmtask.batch;

import java.util.Objects;

/**
 * How one item ended.
 *
 * @param key the caller's key from its {@link BatchItem}
 * @param status how it ended
 * @param value the validated value when {@link BatchItemStatus#SUCCEEDED}, else {@code null}
 * @param reason why it did not succeed (violations, the provider's error type and code), never
 *     customer text; {@code null} when it succeeded
 * @param reasked true when the item was re-asked as a synchronous call after an invalid batch answer
 */
public record BatchOutcome<T>(String key, BatchItemStatus status, T value, String reason, boolean reasked) {
  public BatchOutcome {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
  }

  public boolean succeeded() {
    return status == BatchItemStatus.SUCCEEDED;
  }

  /** Leaves the value out: it is a model answer. */
  @Override
  public String toString() {
    return "BatchOutcome[key=" + key + ", status=" + status + (reason == null ? "" : ", reason=" + reason)
        + (reasked ? ", reasked" : "") + "]";
  }
}
