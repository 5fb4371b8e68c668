package dev.llmtask.ratelimit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client-side rate limits of a runtime: a {@link RateLimit} per route (provider and model), an
 * optional default for the other routes, and the store the buckets live in. Immutable; set it with
 * {@code LlmRuntime.builder().rateLimits(…)}.
 *
 * <pre>{@code
 * RateLimitPolicy limits = RateLimitPolicy.builder()
 *     .limit("openai", "gpt-4o-mini", RateLimit.perMinute(500, 200_000))
 *     .defaultLimit(RateLimit.requestsPerMinute(60))
 *     .build();
 * }</pre>
 *
 * Every provider attempt (retries, re-asks and fallbacks alike) first takes a permit of its route;
 * the provider's rate-limit headers and a 429's {@code Retry-After} correct the buckets. A route
 * without a limit is still paused by a 429. See {@code docs/spend.md}.
 */
public final class RateLimitPolicy {
  private final Map<String, RateLimit> limits;
  private final RateLimit defaultLimit;
  private final RateLimitStore store;

  private RateLimitPolicy(Builder b) {
    this.limits = Map.copyOf(b.limits);
    this.defaultLimit = b.defaultLimit;
    this.store = b.store != null ? b.store : new InMemoryRateLimitStore();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The limit of the route, the default when it has none of its own, or {@code null} when it is not limited. */
  public RateLimit limitOf(String provider, String model) {
    RateLimit own = limits.get(provider + "/" + model);
    return own != null ? own : defaultLimit;
  }

  public RateLimitStore store() {
    return store;
  }

  /** Builder of {@link RateLimitPolicy}. */
  public static final class Builder {
    private final Map<String, RateLimit> limits = new HashMap<>();
    private RateLimit defaultLimit;
    private RateLimitStore store;

    private Builder() {}

    /** The limit of one route: the provider's name as registered with the runtime, and the model. */
    public Builder limit(String provider, String model, RateLimit limit) {
      if (provider == null || provider.isBlank() || model == null || model.isBlank()) {
        throw new IllegalArgumentException("a rate limit's route needs a provider name and a model, was "
            + provider + "/" + model);
      }
      limits.put(provider + "/" + model, Objects.requireNonNull(limit, "limit"));
      return this;
    }

    /** The limit of every route without one of its own (default: none, such routes are only paused by a 429). */
    public Builder defaultLimit(RateLimit limit) {
      this.defaultLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** Where the buckets live (default: a new {@link InMemoryRateLimitStore}); share one store to share the limits. */
    public Builder store(RateLimitStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public RateLimitPolicy build() {
      return new RateLimitPolicy(this);
    }
  }
}
