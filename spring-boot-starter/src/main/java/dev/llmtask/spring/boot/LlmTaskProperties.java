package dev.llmtask.spring.boot;

import dev.llmtask.CallStatus;
import dev.llmtask.budget.BudgetScope;
import dev.llmtask.budget.UnpricedModelRule;
import java.math.BigDecimal;
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
 * @param budgets spend limits checked before each provider attempt (or define a {@code BudgetPolicy} bean)
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
    Path priceFile,
    Budgets budgets) {

  public LlmTaskProperties {
    providers = providers == null ? Map.of() : new TreeMap<>(providers);
    tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
    routes = routes == null ? Map.of() : new TreeMap<>(routes);
    budgets = budgets == null ? new Budgets(null, null, null) : budgets;
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

  /**
   * Spend limits ({@code docs/spend.md}): a {@code BudgetStore} bean is where they are counted (default: in
   * memory, this process only) and a {@code BudgetAlertListener} bean is told of crossed thresholds
   * (default: a {@code WARN} log line).
   *
   * <pre>
   * llmtask.budgets.limits[0].scope=global
   * llmtask.budgets.limits[0].period=month
   * llmtask.budgets.limits[0].max-usd=500
   * llmtask.budgets.limits[1].scope=tenant
   * llmtask.budgets.limits[1].period=day
   * llmtask.budgets.limits[1].max-tokens=2000000
   * llmtask.budgets.limits[2].scope=task
   * llmtask.budgets.limits[2].task=classify
   * llmtask.budgets.limits[2].period=1h
   * llmtask.budgets.limits[2].max-usd=2
   * </pre>
   *
   * @param limits the budgets, each {@code [i].scope} (global, task or tenant), {@code [i].period} (day, month or a
   *     duration for a rolling window), {@code [i].max-usd} and/or {@code [i].max-tokens}, and {@code [i].task} for
   *     a task budget; none: no spend control
   * @param unpricedModels what a budget does with a model the rate card has no price for: {@code refuse}
   *     (the default) or {@code count-tokens-only}
   * @param alertAt the alert thresholds in percent of a limit (default 50, 80, 100)
   */
  public record Budgets(List<Limit> limits, UnpricedModelRule unpricedModels, List<Integer> alertAt) {
    public Budgets {
      limits = limits == null ? List.of() : List.copyOf(limits);
    }
  }

  /**
   * One budget.
   *
   * @param scope {@code global} (every call), {@code task} (the calls of one task) or {@code tenant} (each
   *     tenant's calls apart: the {@code @Tenant} parameter or {@code CallOptions} tenant)
   * @param task the task name of a {@code task} budget
   * @param period {@code day} or {@code month} (calendar, UTC), or a duration such as {@code 1h} for a
   *     rolling window
   * @param maxUsd the limit in USD per period
   * @param maxTokens the limit in tokens (input plus output) per period
   */
  public record Limit(BudgetScope scope, String task, String period, BigDecimal maxUsd, Long maxTokens) {}
}
