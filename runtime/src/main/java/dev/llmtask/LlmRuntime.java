package dev.llmtask;

import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.codegen.TaskRunner;
import dev.llmtask.codegen.TaskRunners;
import dev.llmtask.internal.env.EnvironmentProviders;
import dev.llmtask.internal.pipeline.RuntimeSettings;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.ResponseStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>Policy precedence for each call, highest first: {@link CallOptions} of the call, then
 * {@link Builder#taskOptions(String, CallOptions) per-task configuration}, then the runtime-wide
 * {@link Builder#modelOverride(String) model override}, then what the {@link LlmTask} annotation
 * writes, then this runtime's defaults ({@link Builder#defaultModel(String)} and the like). An
 * annotation attribute left unwritten never overrides runtime configuration.
 *
 * <p>Several providers can serve one runtime, each under a name ({@link Builder#provider(String, LlmProvider)});
 * a task's fallback routes ({@code provider/model}, from {@link LlmTask#fallbacks()} or
 * {@link CallOptions.Builder#fallbacks(String...)}) are tried in order on typed failures, each route with its
 * own circuit breaker ({@link Builder#circuitBreaker(int, Duration)}) and sampling settings
 * ({@link Builder#route(String, Sampling)}), all within the call's one deadline.
 */
public final class LlmRuntime {
  static {
    TaskRunners.install(runtime -> runtime.runner);
  }

  private final LlmProvider provider;
  private final TaskRunner runner;

  private LlmRuntime(Builder b) {
    Map<String, LlmProvider> providers = new LinkedHashMap<>(b.namedProviders);
    providers.putIfAbsent(b.provider.name(), b.provider);
    this.provider = b.provider;
    this.runner = new RuntimeSettings(
        b.provider, Map.copyOf(providers), b.defaultModel, b.modelOverride, b.defaultTimeout, b.attemptTimeout, b.defaultMaxRetries,
        b.defaultRepairs, b.backoffBase, b.backoffCap, b.maxOutputTokens, b.streamIdleTimeout, Map.copyOf(b.taskOptions),
        b.rateCard, List.copyOf(b.sinks), b.fingerprintKey, List.copyOf(b.callInterceptors),
        List.copyOf(b.exchangeInterceptors), Map.copyOf(b.routeSampling), Map.copyOf(b.contextWindows),
        b.breakerFailures, b.breakerCooldown, b.responseStore, b.budgets, b.rateLimits, b.toolbox).startPipeline();
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
    return provider;
  }

  @Override
  public String toString() {
    return "LlmRuntime[provider=" + provider().name() + "]";
  }

  /** Builder of {@link LlmRuntime}. Every setting is checked here, so bad configuration fails at build time, not at the first call. */
  public static final class Builder {
    private LlmProvider provider;
    private String defaultModel;
    private String modelOverride;
    private Duration defaultTimeout = Duration.ofSeconds(30);
    private Duration attemptTimeout;
    private int defaultMaxRetries = 2;
    private int defaultRepairs = 1;
    private Duration backoffBase = Duration.ofSeconds(1);
    private Duration backoffCap = Duration.ofSeconds(30);
    private int maxOutputTokens = 4096;
    private Duration streamIdleTimeout = Duration.ofSeconds(15);
    private final Map<String, CallOptions> taskOptions = new HashMap<>();
    private RateCard rateCard = RateCard.unpriced();
    private final List<TelemetrySink> sinks = new ArrayList<>();
    private byte[] fingerprintKey;
    private final Map<String, LlmProvider> namedProviders = new LinkedHashMap<>();
    private final List<CallInterceptor> callInterceptors = new ArrayList<>();
    private final List<ExchangeInterceptor> exchangeInterceptors = new ArrayList<>();
    private ResponseStore responseStore;
    private final Map<String, Sampling> routeSampling = new LinkedHashMap<>();
    private final Map<String, Long> contextWindows = new HashMap<>();
    private int breakerFailures = 5;
    private Duration breakerCooldown = Duration.ofSeconds(30);
    private BudgetPolicy budgets;
    private dev.llmtask.ratelimit.RateLimitPolicy rateLimits;
    private dev.llmtask.tool.Toolbox toolbox;

    private Builder() {}

    /**
     * Configures the provider and default model from environment variables:
     * {@code LLM_PROVIDER} ({@code openai}, the default, or {@code anthropic}), {@code LLM_API_KEY}
     * (else the provider's usual variable), {@code LLM_BASE_URL} (any OpenAI-compatible server) and
     * {@code LLM_MODEL} (sets {@link #modelOverride(String)}: every task uses that model unless
     * per-task configuration or the call's options name another). A malformed value fails here, naming the variable, never echoing the key.
     */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      provider(EnvironmentProviders.fromEnvironment(env));
      String model = env.get("LLM_MODEL");
      if (model != null && !model.isBlank()) {
        modelOverride(model.strip());
      }
      return this;
    }

    /** The provider to call (required). */
    public Builder provider(LlmProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Registers a further provider under {@code name}, for fallback routes written {@code name/model}
     * and for links that route a call to it with {@link dev.llmtask.spi.TaskCall#withProvider(String)}.
     * Calls go to the provider set with {@link #provider(LlmProvider)} unless a route or link sends them
     * elsewhere.
     */
    public Builder provider(String name, LlmProvider provider) {
      namedProviders.put(Policies.notBlank(name, "provider name"), Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Adds a link around every task call, around all its retries and re-asks; links run in the
     * order added, the first outermost, inside the link that records the call and keeps its
     * deadline. See {@link CallInterceptor}.
     */
    public Builder intercept(CallInterceptor interceptor) {
      callInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Adds a link around every provider attempt (each retry and re-ask); links run in the order
     * added, the first outermost, inside the retry policy. See {@link ExchangeInterceptor}.
     */
    public Builder interceptExchanges(ExchangeInterceptor interceptor) {
      exchangeInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Turns the response cache on: the validated answers of cached tasks ({@link Cached}, or
     * {@link CallOptions.Builder#cacheTtl(Duration)} in {@link #taskOptions}) are kept in {@code store}
     * and served to later calls that ask the same (docs/caching.md says what the key covers). Keys
     * are HMACs with the {@link #fingerprintKey(byte[]) fingerprint key}; a {@link ResponseStore#shared()
     * shared} store needs one, else keys are made with a random key of this runtime.
     */
    public Builder responseCache(ResponseStore store) {
      this.responseStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sampling settings for one route, written {@code provider/model} (e.g. {@code "anthropic/claude-3-5-haiku-latest"}
     * or {@code "openai/gpt-4o-mini"} for the default provider): they apply whenever a call goes to that route,
     * beating the annotation and losing to per-task options and the call's options. The provider must be
     * registered and able to send them; {@link #build()} checks both.
     */
    public Builder route(String route, Sampling sampling) {
      routeSampling.put(Policies.route(route, "route"), Objects.requireNonNull(sampling, "sampling"));
      return this;
    }

    /**
     * The largest prompt {@code model} accepts, in tokens, for the pre-call context check (a fallback chain
     * skips a route whose model cannot fit the estimated prompt) and to pick a larger route after {@code
     * CONTEXT_TOO_LONG}. Beats the rate card's {@code max_input_tokens}.
     */
    public Builder contextWindow(String model, long maxInputTokens) {
      if (maxInputTokens < 1) {
        throw new IllegalArgumentException("contextWindow must be at least 1 token, was " + maxInputTokens);
      }
      contextWindows.put(Policies.notBlank(model, "model"), maxInputTokens);
      return this;
    }

    /**
     * The circuit breaker of every route of a fallback chain (Failsafe's {@code CircuitBreaker}): after
     * {@code failures} failed calls in a row on a route (each after its retries: {@code PROVIDER_ERROR},
     * {@code TIMEOUT}, {@code RATE_LIMITED}; an exhausted quota opens it at once) its circuit opens and
     * calls skip it for {@code cooldown}; then one probe call goes through, and its success closes the
     * circuit. Defaults: 5 failures, 30 s.
     */
    public Builder circuitBreaker(int failures, Duration cooldown) {
      this.breakerFailures = Policies.atLeastOne(failures, "circuitBreaker failures");
      this.breakerCooldown = Policies.positive(cooldown, "circuitBreaker cooldown");
      return this;
    }

    /** Model for tasks that declare none. */
    public Builder defaultModel(String model) {
      this.defaultModel = Policies.notBlank(model, "defaultModel");
      return this;
    }

    /**
     * The model for every task, beating what an annotation writes ({@code @LlmTask(model = "…")}),
     * so one setting points all tasks at another model; {@link #taskOptions(String, CallOptions)}
     * and a call's {@link CallOptions#model()} still win over it. {@code LLM_MODEL} sets it.
     */
    public Builder modelOverride(String model) {
      this.modelOverride = Policies.notBlank(model, "modelOverride");
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

    /**
     * Output token cap per model turn, for every task (default 4096), sent as OpenAI's {@code
     * max_completion_tokens} and Anthropic's {@code max_tokens}. An answer that reaches it ends the
     * call {@code INVALID_OUTPUT} ({@code truncated: …}) without a re-ask.
     */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = Policies.atLeastOne(maxOutputTokens, "maxOutputTokens");
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

    /**
     * Spend limits: before each provider attempt (retries, re-asks and fallbacks too) its estimated
     * cost is reserved in every budget that applies, and settled with the real usage when it ends; an
     * attempt that does not fit is not sent and the call ends {@link CallStatus#BUDGET_EXCEEDED}.
     * Prices come from {@link #rateCard}.
     */
    public Builder budgets(BudgetPolicy budgets) {
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /**
     * Client-side rate limits per route: before each provider attempt (retries, re-asks and fallbacks
     * too) it takes a permit of its route and waits for it; a wait past the call's deadline ends the
     * call {@link CallStatus#RATE_LIMITED} at once, without a request. The provider's rate-limit
     * headers and a 429's retry-after correct the buckets; see {@code docs/spend.md}.
     */
    public Builder rateLimits(dev.llmtask.ratelimit.RateLimitPolicy rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * The tools the model may call in tasks that declare them ({@code @LlmTask(tools = …)}): their
     * implementations, the store that runs each action once per key, the authorizer of actions and the
     * cap on tool rounds (docs/tools.md).
     */
    public Builder tools(dev.llmtask.tool.Toolbox toolbox) {
      this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
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
      if (responseStore != null && responseStore.shared() && fingerprintKey == null) {
        throw new IllegalStateException("responseCache: " + responseStore.getClass().getSimpleName() + " is shared"
            + " between processes, so every process must make the same cache keys: set fingerprintKey(…) to the same"
            + " secret (at least 16 bytes) in each of them");
      }
      checkRoutes();
      return new LlmRuntime(this);
    }

    /** Route settings and per-task fallbacks must name registered providers that can send their settings. */
    private void checkRoutes() {
      Map<String, LlmProvider> all = new LinkedHashMap<>(namedProviders);
      all.putIfAbsent(provider.name(), provider);
      routeSampling.forEach((route, sampling) -> {
        LlmProvider p = registered(all, route, "route(\"" + route + "\", …)");
        try {
          p.checkSampling(sampling);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("route(\"" + route + "\", …): " + e.getMessage(), e);
        }
      });
      taskOptions.forEach((task, options) -> {
        if (options.fallbacks() != null) {
          for (String route : options.fallbacks()) {
            registered(all, route, "taskOptions(\"" + task + "\", …) fallback " + route);
          }
        }
      });
    }

    private static LlmProvider registered(Map<String, LlmProvider> providers, String route, String where) {
      String name = route.substring(0, route.indexOf('/'));
      LlmProvider p = providers.get(name);
      if (p == null) {
        throw new IllegalArgumentException(where + ": no provider named '" + name + "'; register it with"
            + " LlmRuntime.builder().provider(\"" + name + "\", …) (registered: " + providers.keySet() + ")");
      }
      return p;
    }
  }
}
