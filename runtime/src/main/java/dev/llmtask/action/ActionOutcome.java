package dev.llmtask.action;

/**
 * The result of {@link IdempotentActions#once once}.
 *
 * @param value the action's result: fresh when {@code created}, else the stored one, read back from JSON
 * @param created {@code true} when this call ran the action; {@code false} when it returned the result
 *     of an earlier call with the same key and request
 * @param <R> the result type
 */
public record ActionOutcome<R>(R value, boolean created) {

  /** Leaves the value out: it may hold customer data. */
  @Override
  public String toString() {
    return "ActionOutcome[created=" + created + ", value=" + (value == null ? "null" : value.getClass().getSimpleName()) + "]";
  }
}
