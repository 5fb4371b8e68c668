package dev.llmtask.batch;

import java.util.Objects;

/**
 * One input of a batch and the caller's own key for it, which comes back on its {@link BatchOutcome}.
 *
 * @param key the caller's key (a ticket id, a row id), unique within the submission; at most 200 characters
 * @param input the input the job's task call is made with; stored as JSON until the batch is reconciled
 */
public record BatchItem<I>(String key, I input) {
  /** The longest key accepted. */
  public static final int MAX_KEY_LENGTH = 200;

  public BatchItem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(input, "input");
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("a batch item key is 1 to " + MAX_KEY_LENGTH
          + " characters and not blank; use the id of the record the item is for");
    }
  }

  /** An item with the caller's key. */
  public static <I> BatchItem<I> of(String key, I input) {
    return new BatchItem<>(key, input);
  }

  /** Leaves the input out: it is customer data. */
  @Override
  public String toString() {
    return "BatchItem[key=" + key + "]";
  }
}
