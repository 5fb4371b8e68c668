package dev.llmtask.provider;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider's response said about its rate limits: requests and tokens left, and how long
 * until each limit is full again. Read from OpenAI's {@code x-ratelimit-remaining-requests/-tokens}
 * and {@code x-ratelimit-reset-requests/-tokens} (durations such as {@code 6m0s}, {@code 1s},
 * {@code 20ms}) and Anthropic's {@code anthropic-ratelimit-requests-remaining/-reset} and
 * {@code anthropic-ratelimit-tokens-remaining/-reset} (RFC 3339 times). Each part is {@code null}
 * when the response did not say (or said it in a form not understood).
 *
 * @param remainingRequests requests left in the provider's window
 * @param remainingTokens tokens left in the provider's window
 * @param resetRequests time until the request limit is full again
 * @param resetTokens time until the token limit is full again
 */
public record RateLimitHeaders(Long remainingRequests, Long remainingTokens, Duration resetRequests, Duration resetTokens) {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

  /** The rate-limit headers of a response, or {@code null} when it has none. */
  public static RateLimitHeaders of(HttpHeaders headers, Instant now) {
    Long requests = number(headers, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
    Long tokens = number(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining");
    Duration resetRequests = reset(headers, "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset", now);
    Duration resetTokens = reset(headers, "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-reset", now);
    if (requests == null && tokens == null && resetRequests == null && resetTokens == null) {
      return null;
    }
    return new RateLimitHeaders(requests, tokens, resetRequests, resetTokens);
  }

  /**
   * A Go-style duration as OpenAI sends it ({@code 6m0s}, {@code 1s}, {@code 20ms}, {@code 2m59.56s}),
   * or {@code null} when {@code text} is not one.
   */
  public static Duration parseDuration(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    Matcher m = DURATION_PART.matcher(t);
    long nanos = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      double v = Double.parseDouble(m.group(1));
      double unit = switch (m.group(2)) {
        case "h" -> 3_600e9;
        case "m" -> 60e9;
        case "s" -> 1e9;
        case "ms" -> 1e6;
        case "us", "µs" -> 1e3;
        default -> 1;
      };
      nanos += (long) (v * unit);
      at = m.end();
    }
    return at == t.length() && at > 0 ? Duration.ofNanos(nanos) : null;
  }

  private static Long number(HttpHeaders headers, String openAi, String anthropic) {
    String v = headers.firstValue(openAi).or(() -> headers.firstValue(anthropic)).orElse(null);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.strip());
      return n < 0 ? null : n; // Azure sends -1 for "unknown"
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration reset(HttpHeaders headers, String openAi, String anthropic, Instant now) {
    Duration d = parseDuration(headers.firstValue(openAi).orElse(null));
    if (d != null) {
      return d;
    }
    String at = headers.firstValue(anthropic).orElse(null);
    if (at == null) {
      return null;
    }
    try {
      Duration left = Duration.between(now, OffsetDateTime.parse(at.strip()).toInstant());
      return left.isNegative() ? Duration.ZERO : left;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
