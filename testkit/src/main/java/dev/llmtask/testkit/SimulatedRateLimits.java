package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The simulator's provider-side rate limits: per model, a request bucket and a token bucket that
 * start full and refill evenly over their period, as providers meter RPM and TPM. A request that
 * finds either bucket short is answered 429 with {@code retry-after} and {@code retry-after-ms};
 * every answer of a limited model carries the provider's rate-limit headers: OpenAI's {@code
 * x-ratelimit-limit/remaining/reset-requests/-tokens} (resets as durations such as {@code 1s},
 * {@code 20ms}, {@code 6m0s}) or Anthropic's {@code anthropic-ratelimit-requests/tokens-limit/
 * remaining/reset} (resets as RFC 3339 times). A request's tokens are its body's characters / 4
 * plus its output cap ({@code max_completion_tokens}, {@code max_tokens}).
 */
final class SimulatedRateLimits {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  void limit(String model, long requests, long tokens, Duration period) {
    buckets.put(model, new Bucket(requests, tokens, period.toNanos(), System.nanoTime()));
  }

  void reset() {
    buckets.clear();
    refused.set(0);
  }

  /** The requests answered 429 by these limits. */
  long refused() {
    return refused.get();
  }

  /**
   * Meters one request: the reply {@code take} gives (the scripted one, or {@code null} for a
   * generated answer) with the rate-limit headers added, or a 429 when over the limit (then {@code
   * take} is not called); that reply unchanged for a model without a limit.
   */
  SimulatedReply admit(String provider, String model, JsonNode body, int bodyChars, Supplier<SimulatedReply> take) {
    Bucket b = model == null ? null : buckets.get(model);
    if (b == null) {
      return take.get();
    }
    long tokens = bodyChars / 4 + outputCap(body);
    long now = System.nanoTime();
    SimulatedReply out;
    synchronized (b) {
      b.refill(now);
      long waitNanos = Math.max(b.deficitNanos(1 - b.requests, b.requestLimit), b.deficitNanos(tokens - b.tokens, b.tokenLimit));
      if (waitNanos > 0) {
        refused.incrementAndGet();
        out = SimulatedReply.rateLimited()
            .withHeader("retry-after-ms", Long.toString(Math.max(1, waitNanos / 1_000_000)))
            .withHeader("retry-after", Long.toString(Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000)));
      } else {
        b.requests -= 1;
        b.tokens -= tokens;
        SimulatedReply reply = take.get();
        out = reply == null ? SimulatedReply.generated() : reply;
      }
      for (Map.Entry<String, String> h : b.headers(provider).entrySet()) {
        out = out.withHeader(h.getKey(), h.getValue());
      }
    }
    return out;
  }

  private static long outputCap(JsonNode body) {
    if (body == null) {
      return 0;
    }
    JsonNode cap = body.hasNonNull("max_completion_tokens") ? body.path("max_completion_tokens") : body.path("max_tokens");
    return Math.max(0, cap.asLong(0));
  }

  /** An OpenAI reset duration: {@code 20ms} under a second, {@code 1.5s} under a minute, else {@code 6m0s}. */
  static String goDuration(long nanos) {
    long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0).replaceAll("0+s$", "s");
    }
    long s = (ms + 999) / 1000;
    return s / 60 + "m" + s % 60 + "s";
  }

  private static final class Bucket {
    final long requestLimit;
    final long tokenLimit;
    final long periodNanos;
    double requests;
    double tokens;
    long updated;

    Bucket(long requestLimit, long tokenLimit, long periodNanos, long now) {
      this.requestLimit = requestLimit;
      this.tokenLimit = tokenLimit;
      this.periodNanos = periodNanos;
      this.requests = requestLimit;
      this.tokens = tokenLimit;
      this.updated = now;
    }

    void refill(long now) {
      double share = (double) (now - updated) / periodNanos;
      updated = now;
      requests = Math.min(requestLimit, requests + share * requestLimit);
      tokens = Math.min(tokenLimit, tokens + share * tokenLimit);
    }

    long deficitNanos(double deficit, long limit) {
      return deficit <= 0 ? 0 : (long) Math.ceil(deficit * periodNanos / limit);
    }

    Map<String, String> headers(String provider) {
      long remainingRequests = (long) Math.max(0, Math.floor(requests));
      long remainingTokens = (long) Math.max(0, Math.floor(tokens));
      long resetRequests = deficitNanos(requestLimit - requests, requestLimit);
      long resetTokens = deficitNanos(tokenLimit - tokens, tokenLimit);
      Map<String, String> h = new LinkedHashMap<>();
      if ("anthropic".equals(provider)) {
        Instant now = Instant.now();
        h.put("anthropic-ratelimit-requests-limit", Long.toString(requestLimit));
        h.put("anthropic-ratelimit-requests-remaining", Long.toString(remainingRequests));
        h.put("anthropic-ratelimit-requests-reset", rfc3339(now, resetRequests));
        h.put("anthropic-ratelimit-tokens-limit", Long.toString(tokenLimit));
        h.put("anthropic-ratelimit-tokens-remaining", Long.toString(remainingTokens));
        h.put("anthropic-ratelimit-tokens-reset", rfc3339(now, resetTokens));
      } else {
        h.put("x-ratelimit-limit-requests", Long.toString(requestLimit));
        h.put("x-ratelimit-limit-tokens", Long.toString(tokenLimit));
        h.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
        h.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
        h.put("x-ratelimit-reset-requests", goDuration(resetRequests));
        h.put("x-ratelimit-reset-tokens", goDuration(resetTokens));
      }
      return h;
    }

    /** Anthropic sends whole seconds; rounded up so a client never goes early. */
    private static String rfc3339(Instant now, long nanos) {
      Instant at = now.plusNanos(nanos);
      Instant up = at.truncatedTo(ChronoUnit.SECONDS);
      return (up.equals(at) ? up : up.plusSeconds(1)).toString();
    }
  }
}
