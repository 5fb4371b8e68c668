package dev.llmtask;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-call policy overrides. Declare a {@code CallOptions} parameter on a task method and pass
 * {@link #none()} or an instance built with {@link #builder()}:
 *
 * <pre>{@code
 * desk.decideRotation(question, policy, CallOptions.builder().timeout(Duration.ofSeconds(5)).build());
 * }</pre>
 *
 * Values set here win over runtime configuration, which wins over the annotation.
 */
public final class CallOptions {
  private static final CallOptions NONE = new Builder().build();

  private final Duration timeout;
  private final Duration attemptTimeout;
  private final Integer maxRetries;
  private final Integer repairs;
  private final String model;
  private final Duration cacheTtl;
  private final CacheMode cache;
  private final Sampling sampling;
  private final List<String> fallbacks;
  private final Set<CallStatus> fallbackOn;
  private final Map<String, String> metadata;
  private final String tenant;

  private CallOptions(Builder b) {
    this.timeout = b.timeout;
    this.attemptTimeout = b.attemptTimeout;
    this.maxRetries = b.maxRetries;
    this.repairs = b.repairs;
    this.model = b.model;
    this.cacheTtl = b.cacheTtl;
    this.cache = b.cache;
    this.sampling = b.sampling;
    this.fallbacks = b.fallbacks;
    this.fallbackOn = b.fallbackOn;
    this.metadata = Map.copyOf(b.metadata);
    this.tenant = b.tenant;
  }

  /** No overrides. */
  public static CallOptions none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Overall deadline of the call, or {@code null}. */
  public Duration timeout() {
    return timeout;
  }

  /** Timeout of one HTTP attempt, or {@code null}. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Retry cap, or {@code null}. */
  public Integer maxRetries() {
    return maxRetries;
  }

  /** Re-ask cap, or {@code null}. */
  public Integer repairs() {
    return repairs;
  }

  /** Model, or {@code null}. */
  public String model() {
    return model;
  }

  /** How long answers are cached (see {@link Cached}), or {@code null}. */
  public Duration cacheTtl() {
    return cacheTtl;
  }

  /** How this call uses the response cache, or {@code null} ({@link CacheMode#USE}). */
  public CacheMode cache() {
    return cache;
  }

  /** Sampling settings (each unset one comes from the next source), never {@code null}. */
  public Sampling sampling() {
    return sampling;
  }

  /** The fallback routes ({@code provider/model}) after the first route, or {@code null}. */
  public List<String> fallbacks() {
    return fallbacks;
  }

  /** The statuses that move the call to the next route, or {@code null}. */
  public Set<CallStatus> fallbackOn() {
    return fallbackOn;
  }

  /** Caller metadata (never sent to the provider). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tenant whose per-tenant budgets this call counts against, or {@code null}. */
  public String tenant() {
    return tenant;
  }

  /** Fluent builder of {@link CallOptions}. */
  public static final class Builder {
    private Duration timeout;
    private Duration attemptTimeout;
    private Integer maxRetries;
    private Integer repairs;
    private String model;
    private Duration cacheTtl;
    private CacheMode cache;
    private Sampling sampling = Sampling.none();
    private List<String> fallbacks;
    private Set<CallStatus> fallbackOn;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String tenant;

    private Builder() {}

    /** Overall deadline of this call; must be positive. */
    public Builder timeout(Duration timeout) {
      this.timeout = Policies.positive(timeout, "timeout");
      return this;
    }

    /** Timeout of each HTTP attempt; must be positive. */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = Policies.positive(attemptTimeout, "attemptTimeout");
      return this;
    }

    /** Retry cap for this call; must be zero or more. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = Policies.notNegative(maxRetries, "maxRetries");
      return this;
    }

    /** Re-ask cap for this call; must be zero or more. */
    public Builder repairs(int repairs) {
      this.repairs = Policies.notNegative(repairs, "repairs");
      return this;
    }

    /** Model for this call. */
    public Builder model(String model) {
      this.model = Policies.notBlank(model, "model");
      return this;
    }

    /**
     * Caches the task's validated answers for {@code ttl} (positive), as {@link Cached} does; in
     * {@code LlmRuntime.Builder.taskOptions(name, …)} it turns caching on for that task or changes
     * its TTL. Needs a store: {@code LlmRuntime.Builder.responseCache(…)}.
     */
    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = Policies.positive(ttl, "cacheTtl");
      return this;
    }

    /** Sampling settings: temperature, top_p, output token cap, seed, stop sequences. */
    public Builder sampling(Sampling sampling) {
      this.sampling = Objects.requireNonNull(sampling, "sampling");
      return this;
    }

    /**
     * How the call uses the response cache of a cached task: {@link CacheMode#BYPASS},
     * {@link CacheMode#REFRESH} or {@link CacheMode#NO_STORE}; in {@code taskOptions},
     * {@code BYPASS} turns a task's caching off.
     */
    public Builder cache(CacheMode mode) {
      this.cache = Objects.requireNonNull(mode, "cache");
      return this;
    }

    /**
     * The routes to try, in order, after the first one (the task's model on the default provider), each
     * written {@code provider/model}, e.g. {@code "anthropic/claude-3-5-haiku-latest"}. None: no fallback.
     * The provider names are checked when the runtime is built and when a task is created.
     */
    public Builder fallbacks(String... routes) {
      this.fallbacks = Policies.routes(routes, "fallbacks");
      return this;
    }

    /**
     * The statuses that move the call to the next route (default: {@code PROVIDER_ERROR}, {@code TIMEOUT}
     * and {@code RATE_LIMITED} after the route's retries, {@code QUOTA_EXHAUSTED} at once, and {@code
     * CONTEXT_TOO_LONG} to a route with a larger context). {@code REFUSED} and {@code INVALID_OUTPUT} may be
     * added; {@code AUTH_ERROR} and {@code BAD_REQUEST} never trigger a fallback.
     */
    public Builder fallbackOn(CallStatus... statuses) {
      this.fallbackOn = Policies.triggers(statuses, "fallbackOn");
      return this;
    }

    /** Adds caller metadata. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The tenant (an id of yours, e.g. a customer account; not customer text) this call is spent for:
     * per-tenant budgets count it, and budget alerts and refusals name it. It wins over the task method's
     * {@link Tenant @Tenant} parameter.
     */
    public Builder tenant(String tenant) {
      this.tenant = Policies.notBlank(tenant, "tenant");
      return this;
    }

    public CallOptions build() {
      return new CallOptions(this);
    }
  }
}
