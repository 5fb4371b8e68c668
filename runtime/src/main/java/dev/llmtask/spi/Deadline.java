package dev.llmtask.spi;

import java.time.Duration;

/** The one deadline of a task call: when it passes, the call ends {@link dev.llmtask.CallStatus#TIMEOUT}, whatever it is doing. */
public interface Deadline {

  /** Time left; zero or negative once it has passed. */
  Duration remaining();

  /** True once the deadline has passed. */
  default boolean expired() {
    Duration left = remaining();
    return left.isZero() || left.isNegative();
  }
}
