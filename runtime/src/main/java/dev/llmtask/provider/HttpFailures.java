package dev.llmtask.provider;

import dev.llmtask.CallStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The retry classification every provider shares, from the HTTP status, the provider's error type
 * and code, and its headers:
 *
 * <table>
 *   <caption>HTTP status to call status</caption>
 *   <tr><th>answer</th><th>status</th><th>retried</th></tr>
 *   <tr><td>quota, billing or spend limit (any status), 402</td><td>QUOTA_EXHAUSTED</td><td>no</td></tr>
 *   <tr><td>429</td><td>RATE_LIMITED</td><td>yes</td></tr>
 *   <tr><td>408</td><td>TIMEOUT</td><td>yes</td></tr>
 *   <tr><td>409, 500, 502, 503, 504, 529, other 5xx</td><td>PROVIDER_ERROR</td><td>yes</td></tr>
 *   <tr><td>400, 404, 413, 422</td><td>BAD_REQUEST</td><td>no</td></tr>
 *   <tr><td>401, 403</td><td>AUTH_ERROR</td><td>no</td></tr>
 *   <tr><td>anything else</td><td>PROVIDER_ERROR</td><td>no</td></tr>
 * </table>
 *
 * An {@code x-should-retry: true|false} header decides retrying when present (never for quota).
 */
public final class HttpFailures {
  private HttpFailures() {}

  /**
   * Classifies an HTTP error answer.
   *
   * @param httpStatus the status code
   * @param headers the response headers
   * @param errorType the provider's error type, or {@code null}
   * @param errorCode the provider's error code, or {@code null}
   * @param quotaExhausted whether the provider's body says the quota, billing or spend limit is exhausted
   * @param requestId the provider's request id, or {@code null}
   */
  public static ProviderException classify(int httpStatus, HttpHeaders headers, String errorType, String errorCode,
      boolean quotaExhausted, String requestId) {
    StringBuilder reason = new StringBuilder("HTTP ").append(httpStatus);
    if (errorType != null) {
      reason.append(' ').append(safe(errorType));
    }
    if (errorCode != null && !errorCode.equals(errorType)) {
      reason.append(" (code ").append(safe(errorCode)).append(')');
    }
    if (requestId != null) {
      reason.append(" request_id=").append(safe(requestId));
    }
    if (quotaExhausted || httpStatus == 402) {
      return new ProviderException(CallStatus.QUOTA_EXHAUSTED, false, httpStatus, null, reason.toString(), null);
    }
    CallStatus status;
    boolean retry;
    switch (httpStatus) {
      case 429 -> { status = CallStatus.RATE_LIMITED; retry = true; }
      case 408 -> { status = CallStatus.TIMEOUT; retry = true; }
      case 409, 500, 502, 503, 504, 529 -> { status = CallStatus.PROVIDER_ERROR; retry = true; }
      case 400, 404, 413, 422 -> { status = CallStatus.BAD_REQUEST; retry = false; }
      case 401, 403 -> { status = CallStatus.AUTH_ERROR; retry = false; }
      default -> { status = CallStatus.PROVIDER_ERROR; retry = httpStatus >= 500; }
    }
    String shouldRetry = headers.firstValue("x-should-retry").orElse(null);
    if ("true".equalsIgnoreCase(shouldRetry)) {
      retry = true;
    } else if ("false".equalsIgnoreCase(shouldRetry)) {
      retry = false;
    }
    return new ProviderException(status, retry, httpStatus, retry ? retryAfter(headers) : null, reason.toString(), null);
  }

  /** Classifies a failure to exchange at all: timeouts and connection failures are retried. */
  public static ProviderException transport(Throwable failure) {
    if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
      return new ProviderException(CallStatus.PROVIDER_ERROR, true, 0, null,
          "could not connect (" + failure.getClass().getSimpleName() + ")", null);
    }
    if (failure instanceof HttpTimeoutException) {
      return new ProviderException(CallStatus.TIMEOUT, true, 0, null, "the attempt timed out", null);
    }
    if (failure instanceof IOException) {
      return new ProviderException(CallStatus.PROVIDER_ERROR, true, 0, null,
          "the connection failed (" + failure.getClass().getSimpleName() + ")", null);
    }
    return new ProviderException(CallStatus.PROVIDER_ERROR, false, 0, null,
        "the exchange failed (" + failure.getClass().getSimpleName() + ")", null);
  }

  /** A 2xx answer that cannot be read: retried, since a second attempt usually reads fine. */
  public static ProviderException unreadable(int httpStatus, String what, String requestId) {
    return new ProviderException(CallStatus.PROVIDER_ERROR, true, httpStatus, null,
        "HTTP " + httpStatus + " with an unreadable body: " + what + (requestId == null ? "" : " request_id=" + safe(requestId)),
        null);
  }

  /**
   * The wait the server asked for: {@code retry-after-ms} (milliseconds), else {@code retry-after}
   * in seconds (integer or decimal) or as an HTTP date. {@code null} when absent or unreadable.
   */
  public static Duration retryAfter(HttpHeaders headers) {
    String ms = headers.firstValue("retry-after-ms").orElse(null);
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.trim());
        if (v >= 0 && Double.isFinite(v)) {
          return Duration.ofNanos((long) (v * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String ra = headers.firstValue("retry-after").orElse(null);
    if (ra == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(ra.trim());
      return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofNanos((long) (seconds * 1_000_000_000L)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** Error types, codes and ids come from the provider; keep identifier characters only, bounded. */
  private static String safe(String s) {
    String cleaned = s.replaceAll("[^A-Za-z0-9_.:-]", "_");
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }
}
