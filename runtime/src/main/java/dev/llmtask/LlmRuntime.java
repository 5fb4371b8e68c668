package dev.llmtask;

import dev.llmtask.internal.RuntimeAccess;
import dev.llmtask.internal.call.RuntimeSettings;
import dev.llmtask.internal.call.TaskExecutor;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ProviderSettings;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Owns the operational contract of every task call: the provider, deadlines, classified retries
 * with backoff, output validation with re-asks, cost and telemetry. Build one per application and
 * share it; it is thread-safe.
 *
 * <pre>{@code
 * LlmRuntime runtime = LlmRuntime.builder()
 *     .provider(OpenAiProvider.builder().apiKey(System.getenv("LLM_API_KEY")).build())
 *     .telemetry(TelemetrySink.slf4j())
 *     .build();
 * RotationDesk desk = LlmTasks.create(RotationDesk.class, runtime);
 * }</pre>
 *
 * <p>Policy precedence for each call: {@link CallOptions} of the call, then
 * {@link Builder#taskOptions(String, CallOptions) per-task configuration}, then the
 * {@link LlmTask} annotation, then this runtime's defaults.
 */
public final class LlmRuntime {
  static {
    RuntimeAccess.install(runtime -> runtime.executor);
  }

  private final TaskExecutor executor;

  private LlmRuntime(Builder b) {
    this.executor = new TaskExecutor(new RuntimeSettings(
        b.provider, b.defaultModel, b.defaultTimeout, b.attemptTimeout, b.defaultMaxRetries, b.defaultRepairs,
        b.backoffBase, b.backoffCap, b.maxOutputTokens, b.streamIdleTimeout, Map.copyOf(b.taskOptions), b.rateCard,
        List.copyOf(b.sinks), b.fingerprintKey));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder configured from the process environment; see {@link Builder#environment(Map)}.
   * Add sinks and overrides, then {@code build()}.
   */
  public static Builder fromEnvironment() {
    return builder().environment(System.getenv());
  }

  /** The provider this runtime calls. */
  public LlmProvider provider() {
    return executor.settings().provider();
  }

  @Override
  public String toString() {
    return "LlmRuntime[provider=" + provider().name() + "]";
  }

  /** Builder of {@link LlmRuntime}. Every setting is checked here, so bad configuration fails at build time, not at the first call. */
  public static final class Builder {
    private LlmProvider provider;
    private String defaultModel;
    private Duration defaultTimeout = Duration.ofSeconds(30);
    private Duration attemptTimeout;
    private int defaultMaxRetries = 2;
    private int defaultRepairs = 1;
    private Duration backoffBase = Duration.ofSeconds(1);
    private Duration backoffCap = Duration.ofSeconds(30);
    private int maxOutputTokens = 4096;
    private Duration streamIdleTimeout = Duration.ofSeconds(15);
    private final Map<String, CallOptions> taskOptions = new HashMap<>();
    private RateCard rateCard = RateCard.none();
    private final List<TelemetrySink> sinks = new ArrayList<>();
    private byte[] fingerprintKey;

    private Builder() {}

    /**
     * Configures the provider and default model from environment variables:
     * {@code LLM_PROVIDER} ({@code openai}, the default, or {@code anthropic}), {@code LLM_API_KEY}
     * (else the provider's usual variable), {@code LLM_BASE_URL} (any OpenAI-compatible server) and
     * {@code LLM_MODEL}. A malformed value fails here, naming the variable, never echoing the key.
     */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      String name = env.getOrDefault("LLM_PROVIDER", "openai").strip().toLowerCase(java.util.Locale.ROOT);
      URI base = null;
      String url = env.get("LLM_BASE_URL");
      if (url != null && !url.isBlank()) {
        try {
          base = ProviderSettings.baseUrl(new URI(url.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IllegalStateException("LLM_BASE_URL must be an http or https URL, was " + url);
        }
      }
      switch (name) {
        case "openai" -> {
          OpenAiProvider.Builder p = OpenAiProvider.builder();
          String key = ProviderSettings.apiKeyFromEnvironment(env, "LLM_API_KEY", "OPENAI_API_KEY");
          if (key != null) {
            p.apiKey(key);
          }
          if (base != null) {
            p.baseUrl(base);
          }
          provider(p.build());
        }
        case "anthropic" -> {
          AnthropicProvider.Builder p = AnthropicProvider.builder();
          String key = ProviderSettings.apiKeyFromEnvironment(env, "LLM_API_KEY", "ANTHROPIC_API_KEY");
          if (key != null) {
            p.apiKey(key);
          }
          if (base != null) {
            p.baseUrl(base);
          }
          provider(p.build());
        }
        default -> throw new IllegalStateException("LLM_PROVIDER must be openai or anthropic, was " + name);
      }
      String model = env.get("LLM_MODEL");
      if (model != null && !model.isBlank()) {
        defaultModel(model.strip());
      }
      return this;
    }

    /** The provider to call (required). */
    public Builder provider(LlmProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Model for tasks that declare none. */
    public Builder defaultModel(String model) {
      this.defaultModel = Policies.notBlank(model, "defaultModel");
      return this;
    }

    /** Overall deadline for tasks that declare none (default 30 s). */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = Policies.positive(timeout, "defaultTimeout");
      return this;
    }

    /** Timeout of one HTTP attempt (default: the call's whole deadline). */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = Policies.positive(timeout, "attemptTimeout");
      return this;
    }

    /** Retry cap for tasks that declare none (default 2). */
    public Builder defaultMaxRetries(int maxRetries) {
      this.defaultMaxRetries = Policies.notNegative(maxRetries, "defaultMaxRetries");
      return this;
    }

    /** Re-ask cap for tasks that declare none (default 1). */
    public Builder defaultRepairs(int repairs) {
      this.defaultRepairs = Policies.notNegative(repairs, "defaultRepairs");
      return this;
    }

    /**
     * Full-jitter exponential backoff between retries: before retry {@code n} (from 0) the runtime
     * sleeps a random time in {@code [0, min(cap, base·2^n)]}, or what the provider's
     * {@code retry-after} asks, never past the deadline. Defaults: base 1 s, cap 30 s.
     */
    public Builder backoff(Duration base, Duration cap) {
      Policies.positive(base, "backoff base");
      Policies.positive(cap, "backoff cap");
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException("backoff cap must be at least the base, was base " + base + ", cap " + cap);
      }
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    /** Output token cap per attempt (default 4096). */
    public Builder maxOutputTokens(int maxOutputTokens) {
      if (maxOutputTokens < 1) {
        throw new IllegalArgumentException("maxOutputTokens must be at least 1, was " + maxOutputTokens);
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /**
     * The longest a stream may go without any event (default 15 s); a stalled stream then ends
     * {@link CallStatus#TIMEOUT}. The call's overall deadline still bounds the whole stream.
     */
    public Builder streamIdleTimeout(Duration idle) {
      this.streamIdleTimeout = Policies.positive(idle, "streamIdleTimeout");
      return this;
    }

    /** Overrides for one task by name, e.g. {@code "decide_rotation"}; they win over the annotation. */
    public Builder taskOptions(String taskName, CallOptions options) {
      taskOptions.put(Policies.notBlank(taskName, "taskName"), Objects.requireNonNull(options, "options"));
      return this;
    }

    /** Prices used for the cost estimate (default: none, every cost zero). */
    public Builder rateCard(RateCard rateCard) {
      this.rateCard = Objects.requireNonNull(rateCard, "rateCard");
      return this;
    }

    /** Adds a telemetry sink; every call delivers one {@link CallRecord} to each sink. */
    public Builder telemetry(TelemetrySink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Enables {@link CallRecord#inputFingerprint()}: HMAC-SHA256 with this secret over the user
     * prompt, first 12 hex chars, to correlate calls on the same input without storing it.
     * The key must be at least 16 bytes; {@code null} (an unset environment variable) is an
     * {@link IllegalArgumentException} naming the setting.
     */
    public Builder fingerprintKey(byte[] key) {
      if (key == null) {
        throw missingFingerprintKey();
      }
      if (key.length < 16) {
        throw new IllegalArgumentException("fingerprintKey must be at least 16 bytes, was " + key.length);
      }
      this.fingerprintKey = key.clone();
      return this;
    }

    /** Same as {@link #fingerprintKey(byte[])} with the UTF-8 bytes of {@code key}. */
    public Builder fingerprintKey(String key) {
      if (key == null) {
        throw missingFingerprintKey();
      }
      return fingerprintKey(key.getBytes(StandardCharsets.UTF_8));
    }

    private static IllegalArgumentException missingFingerprintKey() {
      return new IllegalArgumentException("fingerprintKey is null (is the environment variable that should hold it"
          + " unset?): pass a secret of at least 16 bytes, or leave fingerprintKey out to record no input fingerprint");
    }

    public LlmRuntime build() {
      if (provider == null) {
        throw new IllegalStateException("LlmRuntime needs a provider: call provider(OpenAiProvider.builder()…build())");
      }
      return new LlmRuntime(this);
    }
  }
}
