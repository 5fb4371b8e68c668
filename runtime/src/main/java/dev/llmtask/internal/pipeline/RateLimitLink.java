package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.provider.RateLimitHeaders;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitGrant;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.ratelimit.RateLimitStore;
import dev.llmtask.spi.ExchangeInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exchange link just before the provider (after the budgets): each attempt takes a permit of
 * its route (provider and model), one request and its estimated tokens (the prompt at 4 characters
 * a token plus the output cap), and waits as long as the buckets need, on the caller's thread for a
 * blocking call, on the scheduler otherwise. A wait that would pass the call's deadline (or leave
 * the exchange less than a tenth of the time left, at most 100 ms) ends the attempt at once {@code
 * RATE_LIMITED} without a request. When the attempt ends, its tokens are
 * settled with the real usage, or given back when it failed or the call was cancelled (with the
 * request too when it was never sent); the provider's rate-limit headers lower the buckets, and a
 * 429 with a retry-after pauses the route for every runtime sharing the store.
 */
final class RateLimitLink implements ExchangeInterceptor {
  /** The record attribute with the call's total wait for the limiter, in whole milliseconds. */
  static final String WAIT_ATTRIBUTE = "ratelimit_wait_ms";

  /** The most of the time left a wait keeps for the exchange itself. */
  private static final Duration EXCHANGE_ROOM = Duration.ofMillis(100);

  private final RateLimitPolicy policy;
  private final RateLimitStore store;

  RateLimitLink(RateLimitPolicy policy) {
    this.policy = policy;
    this.store = policy.store();
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    ExchangeChain c = (ExchangeChain) chain;
    CallState<?> state = c.state;
    ModelRequest request = chain.request();
    String provider = chain.call().provider();
    String route = provider + "/" + request.model();
    RateLimit limit = policy.limitOf(provider, request.model());
    long tokens = BudgetLink.promptTokens(request) + request.maxOutputTokens();
    Duration left = state.remaining();
    // a permit that leaves the exchange no time is no use: the wait must leave it a tenth of the time left, up to 100 ms
    Duration maxWait = left.isNegative() ? Duration.ZERO : left.minus(min(left.dividedBy(10), EXCHANGE_ROOM));
    RateLimitGrant grant;
    try {
      grant = store.acquire(route, limit, tokens, Instant.now(), maxWait);
    } catch (RuntimeException e) {
      return c.proceedInternal(request); // a store that cannot answer does not stop calls: the provider's own limits still hold
    }
    if (!grant.granted()) {
      addWait(state, Duration.ZERO);
      return CompletableFuture.failedFuture(new ProviderException(CallStatus.RATE_LIMITED, false, 0, null,
          "client-side rate limit: route " + route + " has no permit for " + grant.delay().toMillis()
              + " ms, past the call's deadline (" + Math.max(0, left.toMillis()) + " ms left, some of it kept for the"
              + " exchange); no request was sent", null));
    }
    Permit permit = new Permit(route, limit, tokens);
    state.onEarlyEnd(permit::cancelled);
    if (grant.delay().isZero()) {
      return send(c, request, permit);
    }
    long start = System.nanoTime();
    return state.delay(grant.delay()).thenCompose(v -> {
      addWait(state, Duration.ofNanos(System.nanoTime() - start));
      if (state.ended()) {
        permit.cancelled();
        return CompletableFuture.<ModelReply>failedFuture(new CancellationException("the call has ended"));
      }
      return send(c, request, permit);
    });
  }

  private CompletableFuture<ModelReply> send(ExchangeChain c, ModelRequest request, Permit permit) {
    permit.sent = true;
    return c.proceedInternal(request).whenComplete((reply, failure) -> {
      if (reply != null) {
        ModelReply.Usage u = reply.usage();
        permit.settle(u.inputTokens() + u.outputTokens());
        pace(permit, reply.rateLimits());
        return;
      }
      permit.settle(0);
      if (Pipeline.unwrap(failure) instanceof ProviderException pe) {
        pace(permit, pe.rateLimits());
        if (pe.httpStatus() == 429 && pe.retryAfter() != null) {
          pause(permit.route, pe.retryAfter());
        }
      }
    });
  }

  /**
   * The provider is the truth: the buckets go down to what it says is left, and a limit it says is
   * used up pauses the route until its reset.
   */
  private void pace(Permit permit, RateLimitHeaders seen) {
    if (seen == null) {
      return;
    }
    try {
      long requests = seen.remainingRequests() == null ? -1 : seen.remainingRequests();
      long tokens = seen.remainingTokens() == null ? -1 : seen.remainingTokens();
      store.correct(permit.route, permit.limit, requests, tokens, Instant.now());
    } catch (RuntimeException e) {
      // pacing is advice; the call's outcome stands
    }
    if (Long.valueOf(0).equals(seen.remainingRequests()) && seen.resetRequests() != null) {
      pause(permit.route, seen.resetRequests());
    }
    if (Long.valueOf(0).equals(seen.remainingTokens()) && seen.resetTokens() != null) {
      pause(permit.route, seen.resetTokens());
    }
  }

  private void pause(String route, Duration wait) {
    try {
      store.pause(route, Instant.now().plus(wait));
    } catch (RuntimeException e) {
      // the retry link still honours the wait for this call
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Adds {@code waited} to the call's total wait in the record attribute (attempts run one after another). */
  private static void addWait(CallState<?> state, Duration waited) {
    String before = state.attributes().get(WAIT_ATTRIBUTE);
    long total = (before == null ? 0 : Long.parseLong(before)) + waited.toMillis();
    state.attributes().put(WAIT_ATTRIBUTE, Long.toString(total));
  }

  /** One attempt's permit: settled once, by the reply, or given back when the call ends first. */
  private final class Permit {
    final String route;
    final RateLimit limit;
    final long tokens;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile boolean sent;

    Permit(String route, RateLimit limit, long tokens) {
      this.route = route;
      this.limit = limit;
      this.tokens = tokens;
    }

    /** The attempt ended: the estimate is replaced by the tokens really used (0 when it failed). */
    void settle(long used) {
      giveBack(0, tokens - used);
    }

    /** The call ended before the attempt did: the tokens go back, and the request when it was never sent. */
    void cancelled() {
      giveBack(sent ? 0 : 1, tokens);
    }

    private void giveBack(long requests, long tokenCount) {
      if (limit == null || !settled.compareAndSet(false, true)) {
        return;
      }
      try {
        store.giveBack(route, limit, requests, tokenCount, Instant.now());
      } catch (RuntimeException e) {
        // the bucket refills on its own
      }
    }
  }
}
