package dev.llmtask.provider;

import dev.llmtask.CallStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * A classified failure of one attempt: what status it maps to, whether a retry may help, and how
 * long the provider asked to wait. The message is safe for logs: status code, error type and code,
 * request id; never the provider's free text, which can echo customer input.
 */
public final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CallStatus status;
  private final boolean retryable;
  private final int httpStatus;
  private final transient Duration retryAfter;
  private final transient RateLimitHeaders rateLimits;

  public ProviderException(CallStatus status, boolean retryable, int httpStatus, Duration retryAfter, String reason,
      Throwable cause) {
    this(status, retryable, httpStatus, retryAfter, reason, cause, null);
  }

  /** @param rateLimits what the error response's headers said about the provider's rate limits, or {@code null} */
  public ProviderException(CallStatus status, boolean retryable, int httpStatus, Duration retryAfter, String reason,
      Throwable cause, RateLimitHeaders rateLimits) {
    super(Objects.requireNonNull(reason, "reason"), cause, false, false);
    this.status = Objects.requireNonNull(status, "status");
    this.retryable = retryable;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.rateLimits = rateLimits;
  }

  /** The same failure with the error response's rate-limit headers. */
  public ProviderException withRateLimits(RateLimitHeaders headers) {
    return new ProviderException(status, retryable, httpStatus, retryAfter, getMessage(), getCause(), headers);
  }

  /** What the error response's headers said about the provider's rate limits, or {@code null}. */
  public RateLimitHeaders rateLimits() {
    return rateLimits;
  }

  /** The status the call ends with if this is its last failure. */
  public CallStatus status() {
    return status;
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The wait the provider asked for ({@code retry-after-ms}, {@code retry-after}), or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
