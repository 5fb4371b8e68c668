package dev.llmtask.spring.boot;

import dev.llmtask.CallOptions;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.RateCard;
import dev.llmtask.Sampling;
import dev.llmtask.provider.HttpProviderBuilder;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Applies {@link LlmTaskProperties} to an {@link LlmRuntime.Builder}; every problem names its property. */
final class RuntimeProperties {
  private static final String PREFIX = "llmtask.";
  /** The runtime's defaults, for a circuit breaker configured with one of its two settings. */
  private static final int DEFAULT_BREAKER_FAILURES = 5;
  private static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);

  private RuntimeProperties() {}

  /**
   * @param knownTasks the task names of the generated clients, to reject overrides for a task that does not exist
   */
  static LlmRuntime.Builder apply(LlmTaskProperties p, Set<String> knownTasks, LlmRuntime.Builder builder) {
    String defaultProvider = defaultProvider(p);
    Set<String> registered = new TreeSet<>(p.providers().keySet());
    for (Map.Entry<String, LlmTaskProperties.Provider> e : p.providers().entrySet()) {
      String property = PREFIX + "providers." + e.getKey();
      LlmTaskProperties.Provider provider = e.getValue();
      LlmProvider built = provider(property, provider);
      boolean isDefault = e.getKey().equals(defaultProvider);
      if (isDefault) {
        builder.provider(built);
        registered.add(built.name()); // calls name the default provider by its own name too
      }
      set(property, () -> builder.provider(e.getKey(), built));
      if (provider.defaultModel() != null) {
        if (!isDefault) {
          throw new InvalidLlmTaskPropertyException(property + ".default-model", "only the default provider's"
              + " default model applies (llmtask.default-provider=" + defaultProvider + "); set a task's model with"
              + " llmtask.tasks.<task>.model");
        }
        set(property + ".default-model", () -> builder.defaultModel(provider.defaultModel()));
      }
    }
    ifSet(PREFIX + "default-timeout", p.defaultTimeout(), builder::defaultTimeout);
    ifSet(PREFIX + "attempt-timeout", p.attemptTimeout(), builder::attemptTimeout);
    ifSet(PREFIX + "default-max-retries", p.defaultMaxRetries(), builder::defaultMaxRetries);
    ifSet(PREFIX + "default-repairs", p.defaultRepairs(), builder::defaultRepairs);
    ifSet(PREFIX + "model-override", p.modelOverride(), builder::modelOverride);
    if (p.circuitBreaker() != null) {
      LlmTaskProperties.CircuitBreaker breaker = p.circuitBreaker();
      set(PREFIX + "circuit-breaker", () -> builder.circuitBreaker(
          breaker.failures() == null ? DEFAULT_BREAKER_FAILURES : breaker.failures(),
          breaker.cooldown() == null ? DEFAULT_BREAKER_COOLDOWN : breaker.cooldown()));
    }
    for (Map.Entry<String, LlmTaskProperties.SamplingSettings> e : p.routes().entrySet()) {
      String property = PREFIX + "routes.[" + e.getKey() + "]";
      Sampling sampling = sampling(property, e.getValue());
      set(property, () -> builder.route(e.getKey(), sampling));
      checkProvider(property, e.getKey(), registered);
    }
    for (Map.Entry<String, LlmTaskProperties.Task> e : p.tasks().entrySet()) {
      String task = e.getKey().replace('-', '_');
      String property = PREFIX + "tasks." + e.getKey();
      if (!knownTasks.contains(task)) {
        throw new InvalidLlmTaskPropertyException(property, "names no task of the generated clients; the tasks are "
            + knownTasks + " (write decide-rotation or [decide_rotation] for the task decide_rotation)");
      }
      CallOptions options = taskOptions(property, e.getValue());
      if (options.fallbacks() != null) {
        for (String route : options.fallbacks()) {
          checkProvider(property + ".fallbacks", route, registered);
        }
      }
      builder.taskOptions(task, options);
    }
    return builder;
  }

  private static void checkProvider(String property, String route, Set<String> registered) {
    String provider = route.substring(0, route.indexOf('/'));
    if (!registered.contains(provider)) {
      throw new InvalidLlmTaskPropertyException(property, "route " + route + " names no provider; write"
          + " <provider>/<model> with a provider of " + registered);
    }
  }

  /** The rate card of {@code llmtask.price-file}, or null when none is set. */
  static RateCard priceFile(LlmTaskProperties p) {
    if (p.priceFile() == null) {
      return null;
    }
    try {
      return RateCard.fromLiteLlm(p.priceFile());
    } catch (IOException e) {
      throw new InvalidLlmTaskPropertyException(PREFIX + "price-file", "cannot read the LiteLLM price file "
          + p.priceFile() + " (" + e.getMessage() + "); point it at a model_prices_and_context_window.json");
    }
  }

  private static String defaultProvider(LlmTaskProperties p) {
    if (p.providers().isEmpty()) {
      throw new InvalidLlmTaskPropertyException(PREFIX + "providers", "no provider is configured: set"
          + " llmtask.providers.<name>.kind=openai (or anthropic), or define an LlmRuntime bean of your own");
    }
    String name = p.defaultProvider();
    if (name == null || name.isBlank()) {
      if (p.providers().size() == 1) {
        return p.providers().keySet().iterator().next();
      }
      throw new InvalidLlmTaskPropertyException(PREFIX + "default-provider", "is required when there are several"
          + " providers " + p.providers().keySet() + ": name the one calls go to");
    }
    if (!p.providers().containsKey(name)) {
      throw new InvalidLlmTaskPropertyException(PREFIX + "default-provider", "'" + name + "' names no provider"
          + " under llmtask.providers; the providers are " + p.providers().keySet());
    }
    return name;
  }

  private static LlmProvider provider(String property, LlmTaskProperties.Provider p) {
    if (p.kind() == null) {
      throw new InvalidLlmTaskPropertyException(property + ".kind", "is required: openai (also any"
          + " OpenAI-compatible server) or anthropic");
    }
    HttpProviderBuilder<?> builder = switch (p.kind()) {
      case OPENAI -> OpenAiProvider.builder();
      case ANTHROPIC -> AnthropicProvider.builder();
    };
    ifSet(property + ".base-url", p.baseUrl(), builder::baseUrl);
    if (p.apiKey() != null) {
      // the runtime's checks never echo the key, so their message can be passed on
      set(property + ".api-key", () -> builder.apiKey(p.apiKey()));
    }
    return set(property, builder::build);
  }

  private static CallOptions taskOptions(String property, LlmTaskProperties.Task t) {
    CallOptions.Builder options = CallOptions.builder();
    ifSet(property + ".timeout", t.timeout(), options::timeout);
    ifSet(property + ".attempt-timeout", t.attemptTimeout(), options::attemptTimeout);
    ifSet(property + ".model", t.model(), options::model);
    ifSet(property + ".max-retries", t.maxRetries(), options::maxRetries);
    ifSet(property + ".repairs", t.repairs(), options::repairs);
    if (t.sampling() != null) {
      Sampling sampling = sampling(property + ".sampling", t.sampling());
      options.sampling(sampling);
    }
    if (t.fallbacks() != null) {
      set(property + ".fallbacks", () -> options.fallbacks(t.fallbacks().toArray(String[]::new)));
    }
    if (t.fallbackOn() != null) {
      set(property + ".fallback-on", () -> options.fallbackOn(t.fallbackOn().toArray(CallStatus[]::new)));
    }
    return set(property, options::build);
  }

  private static Sampling sampling(String property, LlmTaskProperties.SamplingSettings s) {
    Sampling.Builder sampling = Sampling.builder();
    ifSet(property + ".temperature", s.temperature(), sampling::temperature);
    ifSet(property + ".top-p", s.topP(), sampling::topP);
    ifSet(property + ".max-output-tokens", s.maxOutputTokens(), sampling::maxOutputTokens);
    ifSet(property + ".seed", s.seed(), sampling::seed);
    if (s.stop() != null) {
      set(property + ".stop", () -> sampling.stop(s.stop().toArray(String[]::new)));
    }
    return set(property, sampling::build);
  }

  /** Passes {@code value} to {@code setter} when it is set, a rejection naming {@code property}. */
  private static <V> void ifSet(String property, V value, Consumer<V> setter) {
    if (value != null) {
      set(property, () -> {
        setter.accept(value);
        return null;
      });
    }
  }

  /** Runs one builder call, turning its rejection into a failure that names {@code property}. */
  static <T> T set(String property, Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new InvalidLlmTaskPropertyException(property, e.getMessage());
    }
  }
}
