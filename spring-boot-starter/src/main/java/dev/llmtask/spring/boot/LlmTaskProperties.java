package dev.llmtask.spring.boot;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
    Path priceFile) {

  public LlmTaskProperties {
    providers = providers == null ? Map.of() : new TreeMap<>(providers);
    tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
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
   */
  public record Task(Duration timeout, Duration attemptTimeout, String model, Integer maxRetries, Integer repairs) {}
}
