package dev.llmtask.internal.pipeline;

import dev.failsafe.CircuitBreaker;
import dev.llmtask.CallStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Failsafe {@link CircuitBreaker} per route ({@code provider/model}) of the runtime, shared by every
 * task that routes there. A route's circuit opens after {@code failures} failed calls in a row (each
 * counted once, after the route's retries) and at once on an exhausted quota; while open, fallback
 * chains skip the route; after the cooldown one probe call goes through, and its success closes it.
 * Only failures of the route's provider count: an invalid answer or a refused request says nothing
 * about its health. The state lives in this JVM.
 */
final class RouteBreakers {
  private final int failures;
  private final Duration cooldown;
  private final Map<Route, CircuitBreaker<Object>> breakers = new ConcurrentHashMap<>();

  RouteBreakers(int failures, Duration cooldown) {
    this.failures = failures;
    this.cooldown = cooldown;
  }

  private CircuitBreaker<Object> of(Route route) {
    return breakers.computeIfAbsent(route, r -> CircuitBreaker.builder()
        .withFailureThreshold(failures)
        .withSuccessThreshold(1)
        .withDelay(cooldown)
        .build());
  }

  /**
   * Whether a call may go to {@code route} now; {@code true} takes a permit (the one probe of a
   * half-open circuit), which {@link #record} returns.
   */
  boolean tryAcquire(Route route) {
    return of(route).tryAcquirePermit();
  }

  /** How long the open circuit of {@code route} stays open. */
  Duration remainingCooldown(Route route) {
    return of(route).getRemainingDelay();
  }

  /**
   * Records how a call on {@code route} ended; {@code reachedProvider} is whether any request was
   * sent to it. A call refused before any request (the client-side rate limit, a budget, a cache
   * answer) says nothing about the route's health: it counts neither way, and the probe permit of
   * a half-open circuit goes back.
   */
  void record(Route route, CallStatus status, boolean reachedProvider) {
    CircuitBreaker<Object> breaker = of(route);
    if (!reachedProvider) {
      if (breaker.isHalfOpen()) {
        breaker.halfOpen(); // a fresh half-open state: the next call is the probe
      }
      return;
    }
    switch (status) {
      case QUOTA_EXHAUSTED -> {
        breaker.recordFailure();
        breaker.open(); // the quota will not come back within a cooldown's worth of retries
      }
      case PROVIDER_ERROR, TIMEOUT, RATE_LIMITED -> breaker.recordFailure();
      default -> breaker.recordSuccess(); // the provider answered; a cancelled call also returns its permit
    }
  }
}
