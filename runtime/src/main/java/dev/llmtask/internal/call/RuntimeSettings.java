package dev.llmtask.internal.call;

import dev.llmtask.CallOptions;
import dev.llmtask.RateCard;
import dev.llmtask.TelemetrySink;
import dev.llmtask.provider.LlmProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The checked, immutable configuration of one {@link dev.llmtask.LlmRuntime}. */
public record RuntimeSettings(
    LlmProvider provider,
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
    byte[] fingerprintKey) {}
