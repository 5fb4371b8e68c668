package dev.llmtask.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the routes' token buckets and pauses live. Every method must be atomic for every runtime
 * sharing the store, so a fleet of instances keeps one bucket per route. The runtime has one in
 * memory ({@link InMemoryRateLimitStore}); the {@code llmtask-spend} module has one in Redis.
 *
 * <p>A bucket starts full and refills evenly, {@code limit.requests()} (and {@code limit.tokens()})
 * per {@code limit.period()}. A granted acquire may leave it below zero: the wait it returns is the
 * time the refill needs to cover the debt, so callers are served in the order they asked.
 */
public interface RateLimitStore {
  /**
   * Takes one request and {@code tokens} tokens from the route's buckets, unless the wait that
   * needs (the buckets' refill, or the route's pause) is longer than {@code maxWait}: then nothing
   * is taken.
   *
   * @param route the route, {@code provider/model}
   * @param limit the route's limit, or {@code null} when only its pause applies
   */
  RateLimitGrant acquire(String route, RateLimit limit, long tokens, Instant now, Duration maxWait);

  /**
   * Puts {@code requests} requests and {@code tokens} tokens back (a negative {@code tokens} takes
   * more: a reply that used more than its estimate); the buckets never rise above their limit.
   */
  void giveBack(String route, RateLimit limit, long requests, long tokens, Instant now);

  /**
   * Lowers the buckets to what the provider says is left, when that is less than they hold; a
   * negative value means unknown. Never raises them: the provider counts other clients of the same
   * account too.
   */
  void correct(String route, RateLimit limit, long remainingRequests, long remainingTokens, Instant now);

  /** Sends nothing on the route before {@code until} (a later pause already set stays). */
  void pause(String route, Instant until);
}
