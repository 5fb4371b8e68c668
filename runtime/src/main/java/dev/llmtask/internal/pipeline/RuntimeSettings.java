package dev.llmtask.internal.pipeline;

import dev.llmtask.CallOptions;
import dev.llmtask.RateCard;
import dev.llmtask.Sampling;
import dev.llmtask.TelemetrySink;
import dev.llmtask.codegen.TaskRunner;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.ResponseStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checked, immutable configuration of one {@link dev.llmtask.LlmRuntime}, and the one public
 * type of this package: the runtime builds the engine from it with {@link #startPipeline()}.
 *
 * @param provider the default provider
 * @param providers every provider by name, the default included
 * @param responseStore the response cache's store, or {@code null} when nothing is cached
 * @param routeSampling sampling settings per route, keyed {@code provider/model}
 * @param contextWindows the largest prompt per model in tokens, beyond what the rate card knows
 * @param breakerFailures failed calls in a row that open a route's circuit
 * @param breakerCooldown how long an open circuit stays open before a probe goes through
 * @param budgets the spend limits checked before each provider attempt, or {@code null} for none
 * @param rateLimits the client-side rate limits each provider attempt waits for, or {@code null} for none
 */
public record RuntimeSettings(
    LlmProvider provider,
    Map<String, LlmProvider> providers,
    String defaultModel,
    String modelOverride,
    Duration defaultTimeout,
    Duration attemptTimeout,
    int defaultMaxRetries,
    int defaultRepairs,
    Duration backoffBase,
    Duration backoffCap,
    int maxOutputTokens,
    Duration streamIdleTimeout,
    Map<String, CallOptions> taskOptions,
    RateCard rateCard,
    List<TelemetrySink> sinks,
    byte[] fingerprintKey,
    List<CallInterceptor> callInterceptors,
    List<ExchangeInterceptor> exchangeInterceptors,
    Map<String, Sampling> routeSampling,
    Map<String, Long> contextWindows,
    int breakerFailures,
    Duration breakerCooldown,
    ResponseStore responseStore,
    dev.llmtask.budget.BudgetPolicy budgets,
    dev.llmtask.ratelimit.RateLimitPolicy rateLimits) {

  /** The engine that runs the calls of a runtime with these settings; it starts two daemon scheduler threads. */
  public TaskRunner startPipeline() {
    return new Pipeline(this);
  }
}
