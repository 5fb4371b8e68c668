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
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(java.util.Map.of(), (a, b) -> true);

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
    return classify("HTTP " + httpStatus, httpStatus, httpStatus, headers, errorType, errorCode, quotaExhausted, requestId);
  }

  /** The advice added to a provider's "prompt is too long" / {@code context_length_exceeded} error. */
  public static final String PROMPT_TOO_LONG = "the prompt is too long for the model's context window:"
      + " shorten the input or choose a model with a larger context";

  /** What {@link #errorIn2xx} names as where the error came. */
  public static final String IN_STREAM = "error event in the HTTP 200 stream:";
  /** What {@link #errorIn2xx} names as where the error came. */
  public static final String IN_BODY = "HTTP 200 with an error body:";

  /**
   * Classifies an error that came with a 2xx status: an error event inside an event stream, or an
   * error body. The reason names the provider's error type and code (there is no error status to
   * name); the status and retrying follow the HTTP status that error type stands for when the
   * provider answers it as a response.
   *
   * @param where {@link #IN_STREAM} or {@link #IN_BODY}
   * @param impliedStatus the HTTP status the provider gives the same error as a response
   */
  public static ProviderException errorIn2xx(String where, int impliedStatus, String errorType, String errorCode,
      boolean quotaExhausted, String requestId) {
    return classify(where, impliedStatus, 200, NO_HEADERS, errorType, errorCode, quotaExhausted, requestId);
  }

  private static ProviderException classify(String prefix, int classAs, int httpStatus, HttpHeaders headers,
      String errorType, String errorCode, boolean quotaExhausted, String requestId) {
    StringBuilder reason = new StringBuilder(prefix);
    if (errorType != null) {
      reason.append(' ').append(safe(errorType));
    }
    if (errorCode != null && !errorCode.equals(errorType)) {
      reason.append(" (code ").append(safe(errorCode)).append(')');
    }
    if (errorType == null && errorCode == null && classAs != httpStatus) {
      reason.append(" with no error type");
    }
    if (requestId != null) {
      reason.append(" request_id=").append(safe(requestId));
    }
    if (quotaExhausted || classAs == 402) {
      return new ProviderException(CallStatus.QUOTA_EXHAUSTED, false, httpStatus, null, reason.toString(), null);
    }
    CallStatus status;
    boolean retry;
    switch (classAs) {
      case 429 -> { status = CallStatus.RATE_LIMITED; retry = true; }
      case 408 -> { status = CallStatus.TIMEOUT; retry = true; }
      case 409, 500, 502, 503, 504, 529 -> { status = CallStatus.PROVIDER_ERROR; retry = true; }
      case 400, 404, 413, 422 -> { status = CallStatus.BAD_REQUEST; retry = false; }
      case 401, 403 -> { status = CallStatus.AUTH_ERROR; retry = false; }
      default -> { status = CallStatus.PROVIDER_ERROR; retry = classAs >= 500; }
    }
    String shouldRetry = headers.firstValue("x-should-retry").orElse(null);
    if ("true".equalsIgnoreCase(shouldRetry)) {
      retry = true;
    } else if ("false".equalsIgnoreCase(shouldRetry)) {
      retry = false;
    }
    return new ProviderException(status, retry, httpStatus, retry ? retryAfter(headers) : null, reason.toString(), null);
  }

  /**
   * A request the provider refused because the prompt exceeds the model's context window: {@code
   * CONTEXT_TOO_LONG}, not retried, with {@link #PROMPT_TOO_LONG} added to the reason.
   */
  public static ProviderException contextTooLong(ProviderException e) {
    return new ProviderException(CallStatus.CONTEXT_TOO_LONG, false, e.httpStatus(), null,
        e.getMessage() + "; " + PROMPT_TOO_LONG, e.getCause());
  }

  /**
   * The same failure with a sentence added to its reason, e.g. what to check; the status, retrying
   * and wait are kept.
   */
  public static ProviderException explained(ProviderException e, String sentence) {
    return new ProviderException(e.status(), e.retryable(), e.httpStatus(), e.retryAfter(),
        e.getMessage() + "; " + sentence, e.getCause());
  }

  /**
   * A body or event line larger than the configured cap. Not retried: a server that sends too
   * much sends too much again.
   *
   * @param what what was too large, e.g. {@code "the body exceeds 16777216 bytes (maxResponseBytes)"}
   */
  public static ProviderException oversized(int httpStatus, String what) {
    return new ProviderException(CallStatus.PROVIDER_ERROR, false, httpStatus, null,
        "HTTP " + httpStatus + " answer too large: " + what, null);
  }

  /**
   * A 2xx answer to a streamed request that is not an event stream (a JSON body, an HTML page).
   * Not retried: a server that does not stream will not stream on a second attempt.
   */
  public static ProviderException notAnEventStream(int httpStatus, String contentType, int bytes, String requestId) {
    return new ProviderException(CallStatus.PROVIDER_ERROR, false, httpStatus, null,
        "expected an event stream, got " + safeMediaType(contentType) + " (HTTP " + httpStatus + ", " + bytes
            + " bytes); the server does not stream this request" + (requestId == null ? "" : " request_id=" + safe(requestId)),
        null);
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

  /** A media type from the provider, e.g. {@code application/json}, without its parameters. */
  private static String safeMediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return "no content-type";
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    String cleaned = type.replaceAll("[^A-Za-z0-9_.+/-]", "_");
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }

  /** Error types, codes and ids come from the provider; keep identifier characters only, bounded. */
  private static String safe(String s) {
    String cleaned = s.replaceAll("[^A-Za-z0-9_.:-]", "_");
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }
}
