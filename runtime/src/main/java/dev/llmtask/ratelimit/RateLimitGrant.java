package dev.llmtask.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RateLimitStore} answered to one acquire.
 *
 * @param granted whether the permit was taken; when it was, the call may go after {@code wait}
 * @param delay how long the caller must wait before sending (zero: at once); when not granted, the
 *     wait it would have needed
 */
public record RateLimitGrant(boolean granted, Duration delay) {
  /** Granted without a wait. */
  public static final RateLimitGrant NOW = new RateLimitGrant(true, Duration.ZERO);

  public RateLimitGrant {
    Objects.requireNonNull(delay, "delay");
  }
}
