package dev.llmtask.batch;

/** How one item of a batch ended. Every item ends with exactly one of these. */
public enum BatchItemStatus {
  /** The answer was decoded and passed Bean Validation and the task's {@code @Check} rules. */
  SUCCEEDED,
  /** The answer failed the checks (and, when re-asks are on, so did the synchronous re-ask). */
  INVALID_OUTPUT,
  /** The provider answered the item with an error; the outcome's reason says which, without customer text. */
  PROVIDER_ERROR,
  /** The batch's completion window (24 h) ended before the item ran. */
  EXPIRED,
  /** The batch was cancelled before the item ran. */
  CANCELLED
}
