package dev.llmtask.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The client-side limit of one route: at most {@code requests} requests and {@code tokens} tokens
 * per {@code period}, as two token buckets that refill evenly over the period (a burst of a whole
 * period's worth is allowed when the buckets are full).
 *
 * <pre>{@code
 * RateLimit limit = RateLimit.perMinute(500, 200_000);
 * }</pre>
 *
 * @param requests requests per period, at least 1
 * @param tokens tokens (prompt estimate plus output cap) per period, at least 1; {@link #NO_TOKEN_LIMIT} for none
 * @param period the period both counts refill over, positive
 */
public record RateLimit(long requests, long tokens, Duration period) {
  /** The {@code tokens} of a limit that counts requests only. */
  public static final long NO_TOKEN_LIMIT = Long.MAX_VALUE;

  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (requests < 1) {
      throw new IllegalArgumentException("a rate limit allows at least 1 request per period, was " + requests
          + ": to stop a route, remove it from the task's routes instead");
    }
    if (tokens < 1) {
      throw new IllegalArgumentException("a rate limit allows at least 1 token per period, was " + tokens
          + ": use RateLimit.requestsPerMinute(…) for a limit without tokens");
    }
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("a rate limit's period must be positive, was " + period);
    }
  }

  /** {@code requests} requests and {@code tokens} tokens per minute, as providers state their limits (RPM, TPM). */
  public static RateLimit perMinute(long requests, long tokens) {
    return new RateLimit(requests, tokens, Duration.ofMinutes(1));
  }

  /** {@code requests} requests per minute, tokens not limited. */
  public static RateLimit requestsPerMinute(long requests) {
    return new RateLimit(requests, NO_TOKEN_LIMIT, Duration.ofMinutes(1));
  }

  /** Whether tokens are limited. */
  public boolean limitsTokens() {
    return tokens != NO_TOKEN_LIMIT;
  }
}
