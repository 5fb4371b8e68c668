package dev.llmtask.micrometer;

import static dev.llmtask.micrometer.MetricNames.*;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.TelemetrySink;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer metrics of every task call of a runtime: the GenAI conventions' operation duration and
 * token usage per provider attempt, and llmtask's own per call — duration, attempts, cost, retries,
 * re-asks, fallbacks, cache results and saved cost, budget refusals, client-side rate-limit wait,
 * time to first delta of streams, calls in flight. {@link MetricNames} lists every name.
 *
 * <p>Almost everything is read from the call's one {@link CallRecord}; only the calls in flight need
 * a call interceptor. Tags are the task, the provider, the model and the status — all bounded by
 * the code and the configuration; never a failure reason, an exception message, a trace id or
 * customer text.
 *
 * <pre>{@code
 * LlmTaskMetrics metrics = LlmTaskMetrics.create(meterRegistry);
 * LlmRuntime runtime = metrics.register(LlmRuntime.builder().provider(provider)).build();
 * }</pre>
 */
public final class LlmTaskMetrics {
  /** The advised bucket boundaries of {@code gen_ai.client.operation.duration}, seconds (semconv v1.41.1). */
  private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  /** The advised bucket boundaries of {@code gen_ai.client.token.usage} (semconv v1.41.1). */
  private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
      4194304, 16777216, 67108864};
  private static final Set<String> CACHE_RESULTS = Set.of("hit", "miss", "stored", "bypassed");

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

  private LlmTaskMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics written to {@code registry}. */
  public static LlmTaskMetrics create(MeterRegistry registry) {
    return new LlmTaskMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Adds this to {@code builder}: a call interceptor that counts the calls in flight (added where
   * the builder's interceptors are so far: register first to count time spent in your own
   * interceptors too) and a telemetry sink for everything else.
   *
   * @return {@code builder}
   */
  public LlmRuntime.Builder register(LlmRuntime.Builder builder) {
    return builder.intercept(new InFlight()).telemetry(new Sink());
  }

  /** Counts a call from when it enters until its links return; a call only ends once they have. */
  private final class InFlight implements CallInterceptor {
    @Override
    public CompletionStage<Outcome> intercept(Chain chain) {
      AtomicInteger running = active.computeIfAbsent(chain.call().task(), task -> {
        AtomicInteger n = new AtomicInteger();
        Gauge.builder(CALLS_ACTIVE, n, AtomicInteger::get).tags(TASK, task).strongReference(true).register(registry);
        return n;
      });
      running.incrementAndGet();
      try {
        return chain.proceed(chain.call()).whenComplete((outcome, failure) -> running.decrementAndGet());
      } catch (RuntimeException e) {
        running.decrementAndGet();
        throw e;
      }
    }
  }

  private final class Sink implements TelemetrySink {
    @Override
    public void accept(CallRecord record) {
      recordAttempts(record);
      recordCall(record);
    }
  }

  private void recordAttempts(CallRecord record) {
    List<CallRecord.Attempt> attempts = record.attemptDetails();
    for (int i = 0; i < attempts.size(); i++) {
      CallRecord.Attempt a = attempts.get(i);
      Tags route = route(record.task(), a.provider(), a.model());
      Timer.builder(OPERATION_DURATION).tags(route).tag(STATUS, a.outcome().wireName())
          .serviceLevelObjectives(DURATION_BUCKETS).register(registry).record(Duration.ofMillis(a.latencyMs()));
      if (a.inputTokens() + a.outputTokens() > 0) { // an attempt without reported usage is not counted as 0 tokens
        tokens(route, "input", a.inputTokens());
        tokens(route, "output", a.outputTokens());
      }
      if (i > 0) {
        registry.counter(kindOf(attempts.get(i - 1), a), route).increment();
      }
    }
  }

  /** What attempt {@code next} was to the one before: a fallback (another route), a re-ask (an answer came) or a retry. */
  private static String kindOf(CallRecord.Attempt previous, CallRecord.Attempt next) {
    if (!Objects.equals(previous.provider(), next.provider()) || !Objects.equals(previous.model(), next.model())) {
      return FALLBACKS;
    }
    return previous.outcome() == CallStatus.OK ? REASKS : RETRIES;
  }

  private void tokens(Tags route, String type, long count) {
    DistributionSummary.builder(TOKEN_USAGE).baseUnit("tokens").tags(route).tag(TOKEN_TYPE, type)
        .serviceLevelObjectives(TOKEN_BUCKETS).register(registry).record(count);
  }

  private void recordCall(CallRecord record) {
    Tags route = route(record.task(), record.provider(), record.model());
    Tags call = route.and(STATUS, record.status().wireName());
    Timer.builder(CALL_DURATION).tags(call).serviceLevelObjectives(DURATION_BUCKETS).register(registry)
        .record(Duration.ofMillis(record.latencyMs()));
    DistributionSummary.builder(CALL_ATTEMPTS).tags(call).register(registry).record(record.attempts());
    if (record.costUsd() != null) {
      Counter.builder(COST).baseUnit("usd").tags(call).register(registry).increment(record.costUsd().doubleValue());
    } else if (record.attempts() > 0) {
      registry.counter(CALLS_UNPRICED, route).increment();
    }
    if (record.cachedInputTokens() > 0) {
      Counter.builder(CACHE_READ_TOKENS).baseUnit("tokens").tags(route).register(registry)
          .increment(record.cachedInputTokens());
    }
    if (record.status() == CallStatus.BUDGET_EXCEEDED) {
      registry.counter(BUDGET_REFUSALS, route).increment();
    }
    Map<String, String> attributes = record.attributes();
    String cache = attributes.get(ATTRIBUTE_CACHE);
    if (cache != null) {
      registry.counter(CACHE_REQUESTS, Tags.of(TASK, record.task(), CACHE_RESULT,
          CACHE_RESULTS.contains(cache) ? cache : "other")).increment();
    }
    BigDecimal saved = decimal(attributes.get(ATTRIBUTE_CACHE_SAVED_USD));
    if (saved != null) {
      Counter.builder(CACHE_SAVED_COST).baseUnit("usd").tags(route).register(registry).increment(saved.doubleValue());
    }
    BigDecimal waited = decimal(attributes.get(ATTRIBUTE_RATE_LIMIT_WAIT_MS));
    if (waited != null) {
      Timer.builder(RATE_LIMIT_WAIT).tags(route).register(registry).record(Duration.ofMillis(waited.longValue()));
    }
    BigDecimal firstDelta = decimal(attributes.get(CallRecord.FIRST_DELTA_MS));
    if (firstDelta != null) {
      Timer.builder(TIME_TO_FIRST_DELTA).tags(route).serviceLevelObjectives(DURATION_BUCKETS).register(registry)
          .record(Duration.ofMillis(firstDelta.longValue()));
    }
  }

  private static Tags route(String task, String provider, String model) {
    return Tags.of(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, orUnknown(provider), REQUEST_MODEL, orUnknown(model),
        TASK, task);
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  /** A non-negative decimal attribute, or {@code null} when absent or not a number (a link's mistake is not the call's). */
  private static BigDecimal decimal(String value) {
    if (value == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(value.strip());
      return d.signum() < 0 ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }
}
