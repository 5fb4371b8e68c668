package dev.llmtask.spi;

import dev.llmtask.CallStatus;
import java.util.Objects;

/**
 * How a task call ended, as the links of the chain pass it back: a validated answer, or a failure
 * with its status. The record-and-deadline link turns it into the call's result and its one
 * {@link dev.llmtask.CallRecord}.
 */
public sealed interface Outcome permits Outcome.Answered, Outcome.Failed {

  /** A validated answer; {@code value} must be of the task's answer type. */
  static Outcome answered(Object value) {
    return new Answered(value);
  }

  /** A failure with a status other than {@code OK} and a reason free of customer text. */
  static Outcome failed(CallStatus status, String reason) {
    return new Failed(status, reason, null);
  }

  /**
   * A validated answer.
   *
   * @param value the answer, of the task's answer type
   */
  record Answered(Object value) implements Outcome {
    public Answered {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A failure.
   *
   * @param status how the call ended; never {@link CallStatus#OK}
   * @param reason why, without customer text (it reaches telemetry)
   * @param cause the underlying exception, or {@code null}
   */
  record Failed(CallStatus status, String reason, Throwable cause) implements Outcome {
    public Failed {
      Objects.requireNonNull(status, "status");
      if (status == CallStatus.OK) {
        throw new IllegalArgumentException("a failed outcome needs a status other than OK");
      }
    }
  }
}
