package dev.llmtask;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
  private final Map<String, String> metadata;

  private CallOptions(Builder b) {
    this.timeout = b.timeout;
    this.attemptTimeout = b.attemptTimeout;
    this.maxRetries = b.maxRetries;
    this.repairs = b.repairs;
    this.model = b.model;
    this.cacheTtl = b.cacheTtl;
    this.cache = b.cache;
    this.metadata = Map.copyOf(b.metadata);
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

  /** Caller metadata (never sent to the provider). */
  public Map<String, String> metadata() {
    return metadata;
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
    private final Map<String, String> metadata = new LinkedHashMap<>();

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

    /**
     * How the call uses the response cache of a cached task: {@link CacheMode#BYPASS},
     * {@link CacheMode#REFRESH} or {@link CacheMode#NO_STORE}; in {@code taskOptions},
     * {@code BYPASS} turns a task's caching off.
     */
    public Builder cache(CacheMode mode) {
      this.cache = Objects.requireNonNull(mode, "cache");
      return this;
    }

    /** Adds caller metadata. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public CallOptions build() {
      return new CallOptions(this);
    }
  }
}
