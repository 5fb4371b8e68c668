package dev.llmtask;

import java.util.Objects;

/**
 * A task's validated value together with the {@link CallRecord} of the call that produced it.
 * Declare a task method returning {@code LlmResult<T>} to get both.
 *
 * @param value the validated answer
 * @param record the call's telemetry record (status {@link CallStatus#OK})
 * @param <T> the answer type
 */
public record LlmResult<T>(T value, CallRecord record) {
  public LlmResult {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(record, "record");
  }

  /**
   * Shows the answer's type and, for text, its length, never the answer itself (it is customer
   * text); {@link #value()} still returns it.
   */
  @Override
  public String toString() {
    return "LlmResult[value=" + describe(value) + ", record=" + record + "]";
  }

  /** {@code <42 chars>} for text, {@code <RotationDecision>} for any other answer. */
  static String describe(Object answer) {
    return answer instanceof CharSequence text
        ? "<" + text.length() + " chars>"
        : "<" + answer.getClass().getSimpleName() + ">";
  }
}
