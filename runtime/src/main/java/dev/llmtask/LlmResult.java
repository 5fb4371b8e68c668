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
}
