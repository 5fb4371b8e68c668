package dev.llmtask.spring.boot;

import dev.llmtask.CallStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code llmtask.*} properties the starter builds its {@link dev.llmtask.LlmRuntime} from.
 *
 * <pre>
 * llmtask.providers.main.kind=openai
 * llmtask.providers.main.default-model=gpt-4o-mini
 * llmtask.providers.claude.kind=anthropic
 * llmtask.default-provider=main
 * llmtask.tasks.decide-rotation.timeout=5s
 * llmtask.tasks.decide-rotation.fallbacks=claude/claude-3-5-haiku-latest
 * llmtask.routes.[claude/claude-3-5-haiku-latest].temperature=0
 * </pre>
 *
 * @param providers the providers by name; several is the normal case
 * @param defaultProvider the provider calls go to unless a link routes them; required when there are several
 * @param tasks per-task overrides by task name ({@code decide-rotation} or {@code [decide_rotation]}); they
 *     win over what the annotation writes
 * @param defaultTimeout the overall deadline of tasks that declare none (runtime default 30 s)
 * @param attemptTimeout the timeout of one HTTP attempt (runtime default: the call's whole deadline)
 * @param defaultMaxRetries the retry cap of tasks that declare none (runtime default 2)
 * @param defaultRepairs the re-ask cap of tasks that declare none (runtime default 1)
 * @param modelOverride the model for every task, beating what annotations write (as {@code LLM_MODEL})
 * @param routes sampling settings per route, written {@code [provider/model]} with the provider's name
 *     here; they apply whenever a call goes to that route
 * @param circuitBreaker the circuit breaker of every route of a fallback chain
 * @param priceFile a price file in LiteLLM's {@code model_prices_and_context_window.json} format for the
 *     cost estimate; without one (and without a {@code RateCard} bean) costs are unknown
 */
@ConfigurationProperties("llmtask")
public record LlmTaskProperties(
    Map<String, Provider> providers,
    String defaultProvider,
    Map<String, Task> tasks,
    Duration defaultTimeout,
    Duration attemptTimeout,
    Integer defaultMaxRetries,
    Integer defaultRepairs,
    String modelOverride,
    Map<String, SamplingSettings> routes,
    CircuitBreaker circuitBreaker,
    Path priceFile) {

  public LlmTaskProperties {
    providers = providers == null ? Map.of() : new TreeMap<>(providers);
    tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
    routes = routes == null ? Map.of() : new TreeMap<>(routes);
  }

  /** The wire dialect of a provider. */
  public enum Kind {
    /** OpenAI Chat Completions, and any OpenAI-compatible server by base URL. */
    OPENAI,
    /** Anthropic Messages. */
    ANTHROPIC
  }

  /**
   * One provider.
   *
   * @param kind {@code openai} or {@code anthropic} (required)
   * @param apiKey the API key; when unset, {@code LLM_API_KEY} then the provider's usual variable
   *     ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}); never logged
   * @param baseUrl the endpoint; OpenAI and compatible servers include {@code /v1}, Anthropic is the host only
   * @param defaultModel the model of tasks that declare none (the default provider's only)
   */
  public record Provider(Kind kind, String apiKey, URI baseUrl, String defaultModel) {
    /** Never shows the key. */
    @Override
    public String toString() {
      return "Provider[kind=" + kind + ", apiKey=" + (apiKey == null ? "unset" : "***") + ", baseUrl=" + baseUrl
          + ", defaultModel=" + defaultModel + "]";
    }
  }

  /**
   * Overrides for one task.
   *
   * @param timeout the overall deadline
   * @param attemptTimeout the timeout of one HTTP attempt
   * @param model the model
   * @param maxRetries the retry cap
   * @param repairs the re-ask cap after invalid output
   * @param sampling the sampling settings
   * @param fallbacks the routes to try after the first, in order, each {@code provider/model}
   * @param fallbackOn the statuses that move the call to the next route
   */
  public record Task(Duration timeout, Duration attemptTimeout, String model, Integer maxRetries, Integer repairs,
                     SamplingSettings sampling, List<String> fallbacks, List<CallStatus> fallbackOn) {}

  /**
   * Sampling settings (each optional).
   *
   * @param temperature 0 to 2
   * @param topP above 0, at most 1
   * @param maxOutputTokens the output token cap of one model turn
   * @param seed zero or more
   * @param stop 1 to 4 stop sequences
   */
  public record SamplingSettings(Double temperature, Double topP, Integer maxOutputTokens, Long seed,
                                 List<String> stop) {}

  /**
   * The circuit breaker of every route of a fallback chain.
   *
   * @param failures failed calls in a row that open a route's circuit (runtime default 5)
   * @param cooldown how long an open circuit is skipped (runtime default 30 s)
   */
  public record CircuitBreaker(Integer failures, Duration cooldown) {}
}
