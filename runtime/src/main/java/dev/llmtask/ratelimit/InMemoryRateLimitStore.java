package dev.llmtask.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RateLimitStore} in this process's memory: the buckets of one runtime (or of several that
 * share the instance). One small entry per route.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  @Override
  public RateLimitGrant acquire(String route, RateLimit limit, long tokens, Instant now, Duration maxWait) {
    Bucket b = buckets.computeIfAbsent(route, r -> new Bucket(limit, nanos(now)));
    long nowNanos = nanos(now);
    synchronized (b) {
      b.refill(limit, nowNanos);
      long waitNanos = Math.max(0, b.pausedUntilNanos - nowNanos);
      if (limit != null) {
        waitNanos = Math.max(waitNanos, deficitNanos(1 - b.requests, limit.requests(), limit));
        if (limit.limitsTokens()) {
          waitNanos = Math.max(waitNanos, deficitNanos(tokens - b.tokens, limit.tokens(), limit));
        }
      }
      Duration wait = Duration.ofNanos(waitNanos);
      if (wait.compareTo(maxWait) > 0) {
        return new RateLimitGrant(false, wait);
      }
      if (limit != null) {
        b.requests -= 1;
        b.tokens -= tokens;
      }
      return waitNanos == 0 ? RateLimitGrant.NOW : new RateLimitGrant(true, wait);
    }
  }

  @Override
  public void giveBack(String route, RateLimit limit, long requests, long tokens, Instant now) {
    Bucket b = buckets.get(route);
    if (b == null || limit == null) {
      return;
    }
    synchronized (b) {
      b.refill(limit, nanos(now));
      b.requests = Math.min(limit.requests(), b.requests + requests);
      b.tokens = Math.min(limit.tokens(), b.tokens + tokens);
    }
  }

  @Override
  public void correct(String route, RateLimit limit, long remainingRequests, long remainingTokens, Instant now) {
    if (limit == null) {
      return;
    }
    Bucket b = buckets.computeIfAbsent(route, r -> new Bucket(limit, nanos(now)));
    synchronized (b) {
      b.refill(limit, nanos(now));
      if (remainingRequests >= 0 && remainingRequests < b.requests) {
        b.requests = remainingRequests;
      }
      if (remainingTokens >= 0 && remainingTokens < b.tokens) {
        b.tokens = remainingTokens;
      }
    }
  }

  @Override
  public void pause(String route, Instant until) {
    Bucket b = buckets.computeIfAbsent(route, r -> new Bucket(null, Long.MIN_VALUE));
    synchronized (b) {
      b.pausedUntilNanos = Math.max(b.pausedUntilNanos, nanos(until));
    }
  }

  /** The time the refill needs to cover {@code deficit} at {@code perPeriod} per period; 0 when there is none. */
  private static long deficitNanos(double deficit, long perPeriod, RateLimit limit) {
    return deficit <= 0 ? 0 : (long) Math.ceil(deficit * limit.period().toNanos() / perPeriod);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** One route's levels; a bucket made by a pause alone starts full when its limit is first seen. */
  private static final class Bucket {
    double requests;
    double tokens;
    long updatedNanos;
    long pausedUntilNanos; // 0: never paused
    boolean sized;

    Bucket(RateLimit limit, long nowNanos) {
      updatedNanos = nowNanos;
      if (limit != null) {
        fill(limit);
      }
    }

    private void fill(RateLimit limit) {
      requests = limit.requests();
      tokens = limit.tokens();
      sized = true;
    }

    void refill(RateLimit limit, long nowNanos) {
      long elapsed = Math.max(0, nowNanos - updatedNanos);
      updatedNanos = Math.max(updatedNanos, nowNanos);
      if (limit == null) {
        return;
      }
      if (!sized) {
        fill(limit);
        return;
      }
      double share = (double) elapsed / limit.period().toNanos();
      requests = Math.min(limit.requests(), requests + share * limit.requests());
      tokens = Math.min(limit.tokens(), tokens + share * limit.tokens());
    }
  }
}
