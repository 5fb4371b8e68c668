package dev.llmtask.spring.boot;

import static dev.llmtask.spring.boot.LlmTaskAutoConfigurationTest.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmTaskException;
import dev.llmtask.TelemetrySink;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetAlert;
import dev.llmtask.budget.BudgetAlertListener;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.BudgetReservation;
import dev.llmtask.budget.BudgetStore;
import dev.llmtask.budget.InMemoryBudgetStore;
import dev.llmtask.budget.Spend;
import dev.llmtask.cache.caffeine.CaffeineResponseStore;
import dev.llmtask.micrometer.LlmTaskMetrics;
import dev.llmtask.micrometer.MetricNames;
import dev.llmtask.opentelemetry.LlmTaskTracing;
import dev.llmtask.ratelimit.InMemoryRateLimitStore;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.spi.ResponseStore;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The optional pieces the starter binds when the application has them: a response store, budgets
 * (a policy bean, or {@code llmtask.budgets.*} with store and listener beans), a rate-limit policy bean,
 * Micrometer metrics and
 * OpenTelemetry traces.
 */
@ExtendWith(LlmSimulatorExtension.class)
class OptionalPiecesTest {
  private final LlmSimulator simulator;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  OptionalPiecesTest(LlmSimulator simulator) {
    this.simulator = simulator;
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LlmTaskAutoConfiguration.class))
        .withPropertyValues("llmtask.providers.main.kind=openai",
            "llmtask.providers.main.base-url=" + simulator.openAiBaseUrl(),
            "llmtask.providers.main.api-key=" + LlmTaskAutoConfigurationTest.KEY)
        .withBean(TelemetrySink.class, () -> records::add);
  }

  // the response store

  @Test
  void aResponseStoreBeanIsTheResponseCache() {
    runner().withBean(ResponseStore.class, CaffeineResponseStore::create)
        .run(context -> {
          SummaryDesk desk = context.getBean(SummaryDesk.class);
          String first = desk.summarize("the same text");
          assertThat(desk.summarize("the same text")).isEqualTo(first);
          assertThat(simulator.requests("summarize")).as("the second answer came from the store").hasSize(1);
          assertThat(records).extracting(r -> r.attributes().get("cache")).containsExactly("stored", "hit");
        });
  }

  @Test
  void withoutAResponseStoreBeanNothingIsCached() {
    runner().run(context -> {
      SummaryDesk desk = context.getBean(SummaryDesk.class);
      desk.summarize("the same text");
      desk.summarize("the same text");
      assertThat(simulator.requests("summarize")).hasSize(2);
    });
  }

  // the client-side rate limit

  @Test
  void aRateLimitPolicyBeanLimitsTheCalls() {
    runner().withBean(RateLimitPolicy.class, () -> RateLimitPolicy.builder().store(new InMemoryRateLimitStore())
            .limit("openai", "gpt-4o-mini", new RateLimit(1, RateLimit.NO_TOKEN_LIMIT, Duration.ofHours(1))).build())
        .run(context -> {
          SummaryDesk desk = context.getBean(SummaryDesk.class);
          desk.summarize("the first text");
          assertThatThrownBy(() -> desk.summarize("another text")).isInstanceOfSatisfying(LlmTaskException.class, e -> {
            assertThat(e.status()).isEqualTo(CallStatus.RATE_LIMITED);
            assertThat(e.record().failureReason()).contains("client-side rate limit").doesNotContain("another text");
          });
          assertThat(simulator.requests("summarize")).as("the refused call sent nothing").hasSize(1);
          assertThat(records).extracting(CallRecord::provider).as("the default provider routes by its own name")
              .containsOnly("openai");
        });
  }

  // budgets

  private ApplicationContextRunner globalTokenBudget(long maxTokens) {
    return runner().withPropertyValues("llmtask.budgets.limits[0].scope=global",
        "llmtask.budgets.limits[0].period=day", "llmtask.budgets.limits[0].max-tokens=" + maxTokens,
        "llmtask.budgets.unpriced-models=count-tokens-only", "llmtask.budgets.alert-at=50",
        "llmtask.tasks.greet.sampling.max-output-tokens=50"); // an estimate of about 90 tokens
  }

  @Test
  void budgetPropertiesAreCountedInTheStoreBeanAndToldToTheListenerBean() {
    CountingStore store = new CountingStore();
    List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    simulator.enqueue("greet", SimulatedReply.json("{\"text\":\"Hello Ada\"}").withUsage(900, 100, 0));
    globalTokenBudget(1050)
        .withBean(BudgetStore.class, () -> store)
        .withBean(BudgetAlertListener.class, () -> alerts::add)
        .run(context -> {
          GreetingDesk desk = context.getBean(GreetingDesk.class);
          desk.greet("Ada"); // 1000 of 1050 tokens: past 50 %, and no room for the next estimate

          assertThatThrownBy(() -> desk.greet("Bo")).isInstanceOfSatisfying(LlmTaskException.class,
              e -> assertThat(e.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED));
          assertThat(simulator.requests("greet")).as("the refused call sent nothing").hasSize(1);
          assertThat(store.reservations).as("the store bean counted both attempts").hasValue(2);
          assertThat(alerts).singleElement().satisfies(a -> assertThat(a.thresholdPercent()).isEqualTo(50));
        });
  }

  @Test
  void aTaskBudgetByPropertyCountsOnlyThatTask() {
    runner().withPropertyValues("llmtask.budgets.limits[0].scope=task", "llmtask.budgets.limits[0].task=greet",
            "llmtask.budgets.limits[0].period=1h", "llmtask.budgets.limits[0].max-tokens=1",
            "llmtask.budgets.unpriced-models=count-tokens-only")
        .run(context -> {
          assertThat(context.getBean(SummaryDesk.class).summarize("text")).isNotBlank();
          assertThatThrownBy(() -> context.getBean(GreetingDesk.class).greet("Ada"))
              .isInstanceOfSatisfying(LlmTaskException.class,
                  e -> assertThat(e.record().failureReason()).contains("task greet").contains("rolling"));
          assertThat(simulator.requests()).hasSize(1);
        });
  }

  @Test
  void aBudgetPolicyBeanIsUsedAsItIs() {
    runner().withBean(BudgetPolicy.class, () -> BudgetPolicy.builder()
            .budget(Budget.global(BudgetPeriod.MONTH).maxTokens(1)).build())
        .run(context -> {
          assertThatThrownBy(() -> context.getBean(GreetingDesk.class).greet("Ada"))
              .isInstanceOfSatisfying(LlmTaskException.class,
                  e -> assertThat(e.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED));
          assertThat(simulator.requests()).isEmpty();
        });
  }

  @Test
  void aBudgetPolicyBeanAndBudgetPropertiesTogetherFail() {
    globalTokenBudget(100).withBean(BudgetPolicy.class, () -> BudgetPolicy.builder()
            .budget(Budget.global(BudgetPeriod.MONTH).maxTokens(1)).build())
        .run(context -> startupFailure(context, "llmtask.budgets.limits").hasMessageContaining("keep one"));
  }

  @Test
  void aBudgetStoreBeanWithoutAnyBudgetFailsRatherThanCountingNothing() {
    runner().withBean(BudgetStore.class, InMemoryBudgetStore::new)
        .run(context -> startupFailure(context, "llmtask.budgets.limits").hasMessageContaining("BudgetStore bean"));
  }

  @Test
  void badBudgetValuesFailNamingTheProperty() {
    String limit = "llmtask.budgets.limits[0]";
    runner().withPropertyValues(limit + ".scope=global", limit + ".period=weekly", limit + ".max-usd=5")
        .run(context -> startupFailure(context, limit + ".period").hasMessageContaining("day, month"));
    runner().withPropertyValues(limit + ".scope=global", limit + ".period=day")
        .run(context -> startupFailure(context, limit).hasMessageContaining(".max-usd, .max-tokens"));
    runner().withPropertyValues(limit + ".scope=global", limit + ".period=day", limit + ".max-usd=-1")
        .run(context -> startupFailure(context, limit + ".max-usd").hasMessageContaining("positive"));
    runner().withPropertyValues(limit + ".scope=task", limit + ".task=greeet", limit + ".period=day",
            limit + ".max-tokens=10")
        .run(context -> startupFailure(context, limit + ".task").hasMessageContaining("[answer, greet, summarize]"));
    runner().withPropertyValues(limit + ".scope=tenant", limit + ".task=greet", limit + ".period=day",
            limit + ".max-tokens=10")
        .run(context -> startupFailure(context, limit + ".task").hasMessageContaining("scope=task"));
    runner().withPropertyValues(limit + ".period=day", limit + ".max-tokens=10")
        .run(context -> startupFailure(context, limit + ".scope"));
    runner().withPropertyValues(limit + ".scope=global", limit + ".period=day", limit + ".max-tokens=10",
            "llmtask.budgets.alert-at=0")
        .run(context -> startupFailure(context, "llmtask.budgets.alert-at").hasMessageContaining("1 to 1000"));
  }

  // metrics and traces

  @Test
  void aMeterRegistryBeanGetsTheCallsMetrics() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    runner().withBean(MeterRegistry.class, () -> registry)
        .run(context -> {
          context.getBean(SummaryDesk.class).summarize("text");
          assertThat(registry.find(MetricNames.CALL_DURATION).tag(MetricNames.TASK, "summarize").timer())
              .isNotNull().satisfies(t -> assertThat(t.count()).isEqualTo(1));
        });
  }

  @Test
  void anOpenTelemetryBeanGetsTheCallsSpans() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    runner().withBean(OpenTelemetry.class, () -> otel)
        .run(context -> {
          context.getBean(SummaryDesk.class).summarize("text");
          assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
              .anyMatch(name -> name.contains("summarize"));
        });
    otel.close();
  }

  @Test
  void withoutTheBeansOrTheModulesTheRuntimeIsBuiltWithoutThem() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBeansOfType(OptionalPart.class)).containsOnlyKeys("llmTaskMetrics", "llmTaskTracing");
      context.getBean(SummaryDesk.class).summarize("text");
      assertThat(records).hasSize(1);
    });
    runner().withClassLoader(new FilteredClassLoader(LlmTaskMetrics.class, LlmTaskTracing.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeansOfType(OptionalPart.class)).isEmpty();
          context.getBean(SummaryDesk.class).summarize("text");
          assertThat(context.getBean(MeterRegistry.class).find(MetricNames.CALL_DURATION).timer()).isNull();
        });
  }

  /** An in-memory store that counts reservations, as a shared store bean would be used. */
  static final class CountingStore implements BudgetStore {
    final InMemoryBudgetStore memory = new InMemoryBudgetStore();
    final AtomicInteger reservations = new AtomicInteger();

    @Override
    public BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount,
        Spend limit) {
      reservations.incrementAndGet();
      return memory.reserve(key, rolling, now, expiresAt, amount, limit);
    }

    @Override
    public Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now) {
      return memory.settle(reservation, actual, rolling, now);
    }
  }
}
