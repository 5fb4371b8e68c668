package dev.llmtask.micrometer;

import static dev.llmtask.micrometer.MetricNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.micrometer.TriageDesk.Triage;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The metrics of calls against the loopback simulator, across the fault matrix and the pipeline's shapes. */
class LlmTaskMetricsTest {
  private static final String KEY = "sk-metrics-secret-key-5f1c";
  private static final String TICKET = "PROMPT-MARKER card 4111 charged twice";
  private static final String VALID = "{\"queue\":\"ANSWER-MARKER-billing\",\"priority\":2}";
  private static final String BROKEN = "{\"queue\":\"ANSWER-MARKER-billing\",\"priority\":9}";
  private static final Set<String> TAG_KEYS = Set.of(OPERATION_NAME, PROVIDER_NAME, REQUEST_MODEL, TASK, STATUS,
      TOKEN_TYPE, CACHE_RESULT, "le"); // le: the bucket of a histogram's series
  private static LlmSimulator sim;
  private MeterRegistry registry;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
    // the first call of a JVM loads the JSON and validation classes (the task's deadline is 30 s)
    sim.enqueue(SimulatedReply.json(VALID));
    LlmTasks.create(TriageDesk.class, LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(KEY).build()).build()).triage(TICKET, "t");
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void fresh() {
    sim.reset();
    registry = new SimpleMeterRegistry();
    records.clear();
  }

  private TriageDesk desk(UnaryOperator<LlmRuntime.Builder> more) {
    LlmRuntime.Builder builder = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(KEY).build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .rateCard(RateCard.illustrative())
        .taskOptions("triage", CallOptions.builder().timeout(Duration.ofMillis(2500)).build())
        .telemetry(records::add);
    LlmTaskMetrics.create(registry).register(builder);
    return LlmTasks.create(TriageDesk.class, more.apply(builder).build());
  }

  record Row(String fault, CallStatus status, int attempts, int retries, int reasks, List<SimulatedReply> replies) {
    @Override
    public String toString() {
      return fault;
    }
  }

  private static Row row(String fault, CallStatus status, int attempts, int retries, int reasks, SimulatedReply... replies) {
    return new Row(fault, status, attempts, retries, reasks, List.of(replies));
  }

  static List<Row> faults() {
    return List.of(
        row("valid answer", CallStatus.OK, 1, 0, 0, SimulatedReply.json(VALID).withUsage(250, 80, 50)),
        row("429 then valid", CallStatus.OK, 2, 1, 0, SimulatedReply.rateLimited(), SimulatedReply.json(VALID)),
        row("429 x3", CallStatus.RATE_LIMITED, 3, 2, 0,
            SimulatedReply.rateLimited(), SimulatedReply.rateLimited(), SimulatedReply.rateLimited()),
        row("quota exhausted", CallStatus.QUOTA_EXHAUSTED, 1, 0, 0, SimulatedReply.quotaExhausted()),
        row("400", CallStatus.BAD_REQUEST, 1, 0, 0, SimulatedReply.status(400)),
        row("401", CallStatus.AUTH_ERROR, 1, 0, 0, SimulatedReply.status(401)),
        row("500 x3", CallStatus.PROVIDER_ERROR, 3, 2, 0,
            SimulatedReply.status(500), SimulatedReply.status(500), SimulatedReply.status(500)),
        row("dropped connection then valid", CallStatus.OK, 2, 1, 0, SimulatedReply.dropConnection(), SimulatedReply.json(VALID)),
        row("refusal", CallStatus.REFUSED, 1, 0, 0, SimulatedReply.refusal("REFUSAL-MARKER I cannot help")),
        row("truncated answer", CallStatus.INVALID_OUTPUT, 1, 0, 0, SimulatedReply.truncated("{\"queue\":\"ANSWER-MARKER")),
        row("schema-breaking x2", CallStatus.INVALID_OUTPUT, 2, 0, 1, SimulatedReply.json(BROKEN), SimulatedReply.json(BROKEN)),
        row("schema-breaking then valid", CallStatus.OK, 2, 0, 1, SimulatedReply.json(BROKEN), SimulatedReply.json(VALID)),
        row("delay past the deadline", CallStatus.TIMEOUT, 1, 0, 0, SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void eachStatusIsTaggedOnTheCallAndEachAttemptIsTimedAndClassified(Row row) {
    row.replies().forEach(sim::enqueue);
    TriageDesk desk = desk(b -> b);
    Throwable failure = catchThrowable(() -> desk.triage(TICKET, "trace_matrix"));
    assertThat(failure == null).isEqualTo(row.status() == CallStatus.OK);
    CallRecord record = records.get(0);

    var call = registry.get(CALL_DURATION).tags(TASK, "triage", STATUS, row.status().wireName(),
        PROVIDER_NAME, "openai", REQUEST_MODEL, "gpt-4o-mini", OPERATION_NAME, OPERATION_CHAT).timer();
    assertThat(call.count()).isEqualTo(1);
    assertThat(registry.find(CALL_DURATION).timers()).hasSize(1);
    assertThat(registry.get(CALL_ATTEMPTS).summary().totalAmount()).isEqualTo(row.attempts());
    assertThat(registry.get(OPERATION_DURATION).timers().stream().mapToLong(t -> t.count()).sum()).isEqualTo(row.attempts());
    assertThat(registry.get(OPERATION_DURATION).tag(STATUS, record.attemptDetails().get(row.attempts() - 1).outcome().wireName())
        .timers()).isNotEmpty();
    assertThat(count(RETRIES)).isEqualTo(row.retries());
    assertThat(count(REASKS)).isEqualTo(row.reasks());
    assertThat(count(FALLBACKS)).isZero();
    assertThat(count(BUDGET_REFUSALS)).isZero();
    assertThat(registry.get(CALLS_ACTIVE).tag(TASK, "triage").gauge().value()).isZero();
    if (row.status() == CallStatus.OK) {
      assertThat(registry.get(COST).tag(STATUS, "ok").counter().count()).isEqualTo(record.costUsd().doubleValue()).isPositive();
      assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "output").summary().totalAmount()).isEqualTo(record.outputTokens());
      assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "input").summary().totalAmount()).isEqualTo(record.inputTokens());
    }
    assertOnlyBoundedTags();
  }

  @Test
  void theValidCallRecordsItsTokensCostAndPromptCacheReads() {
    sim.enqueue(SimulatedReply.json(VALID).withUsage(250, 80, 50));
    desk(b -> b).triage(TICKET, "t");
    assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "input").summary().totalAmount()).isEqualTo(250);
    assertThat(registry.get(TOKEN_USAGE).tag(TOKEN_TYPE, "output").summary().totalAmount()).isEqualTo(80);
    assertThat(registry.get(CACHE_READ_TOKENS).counter().count()).isEqualTo(50);
    // illustrative rates: $2 per million input ($1 cached), $6 per million output
    assertThat(registry.get(COST).counter().count()).isCloseTo((200 * 2 + 50 * 1 + 80 * 6) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(count(CALLS_UNPRICED)).isZero();
  }

  @Test
  void anUnpricedModelCountsAsUnpricedNotAsZeroCost() {
    sim.enqueue(SimulatedReply.json(VALID));
    desk(b -> b.rateCard(RateCard.builder().build())).triage(TICKET, "t");
    assertThat(registry.find(COST).counter()).isNull();
    assertThat(registry.get(CALLS_UNPRICED).tag(REQUEST_MODEL, "gpt-4o-mini").counter().count()).isEqualTo(1);
  }

  @Test
  void aBudgetRefusalIsCountedAndTaggedWithItsStatus() {
    TriageDesk desk = desk(b -> b.intercept(chain ->
        CompletableFuture.completedFuture(Outcome.failed(CallStatus.BUDGET_EXCEEDED, "the daily budget is spent"))));
    assertThat(catchThrowable(() -> desk.triage(TICKET, "t"))).isInstanceOf(LlmTaskException.class);
    assertThat(registry.get(BUDGET_REFUSALS).tag(TASK, "triage").counter().count()).isEqualTo(1);
    assertThat(registry.get(CALL_DURATION).tag(STATUS, "budget_exceeded").timer().count()).isEqualTo(1);
    assertThat(registry.find(OPERATION_DURATION).timer()).as("no provider attempt").isNull();
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void aCallCancelledByItsCallerIsTaggedCancelled() throws Exception {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofMillis(500)));
    CompletableFuture<Triage> later = desk(b -> b).triageLater(TICKET, "t");
    while (sim.requests().isEmpty()) {
      Thread.sleep(5);
    }
    later.cancel(true);
    while (records.isEmpty()) {
      Thread.sleep(5);
    }
    assertThat(registry.get(CALL_DURATION).tag(STATUS, "cancelled").timer().count()).isEqualTo(1);
  }

  @Test
  void aCacheHitIsCountedWithTheCostItSavedAndMakesNoAttempt() {
    TriageDesk desk = desk(b -> b.intercept(chain -> {
      chain.attributes().put(ATTRIBUTE_CACHE, "hit");
      chain.attributes().put(ATTRIBUTE_CACHE_SAVED_USD, "0.00098");
      return CompletableFuture.completedFuture(Outcome.answered(new Triage("billing", 2)));
    }));
    desk.triage(TICKET, "t");
    desk.triage(TICKET, "t");
    assertThat(registry.get(CACHE_REQUESTS).tags(TASK, "triage", CACHE_RESULT, "hit").counter().count()).isEqualTo(2);
    assertThat(registry.get(CACHE_SAVED_COST).counter().count()).isCloseTo(0.00196, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(registry.find(OPERATION_DURATION).timer()).isNull();
    assertThat(registry.get(CALL_ATTEMPTS).summary().totalAmount()).isZero();
  }

  @Test
  void anUnknownCacheResultIsTaggedOtherSoTheTagStaysBounded() {
    TriageDesk desk = desk(b -> b.intercept(chain -> {
      chain.attributes().put(ATTRIBUTE_CACHE, "key-" + System.nanoTime());
      return chain.proceed(chain.call());
    }));
    sim.enqueue(SimulatedReply.json(VALID));
    desk.triage(TICKET, "t");
    assertThat(registry.get(CACHE_REQUESTS).tag(CACHE_RESULT, "other").counter().count()).isEqualTo(1);
  }

  @Test
  void anAttemptOnAnotherRouteCountsAsAFallbackTaggedWithTheRouteFallenTo() {
    sim.enqueue(SimulatedReply.status(500)).enqueue(SimulatedReply.status(500)).enqueue(SimulatedReply.status(500));
    sim.enqueue(SimulatedReply.json(VALID));
    TriageDesk desk = desk(b -> b.intercept(chain -> chain.proceed(chain.call()).thenCompose(outcome ->
        outcome instanceof Outcome.Failed ? chain.proceed(chain.call().withModel("gpt-4o")) : CompletableFuture.completedFuture(outcome))));
    desk.triage(TICKET, "t");

    assertThat(registry.get(FALLBACKS).tag(REQUEST_MODEL, "gpt-4o").counter().count()).isEqualTo(1);
    assertThat(count(RETRIES)).isEqualTo(2);
    assertThat(registry.get(OPERATION_DURATION).tags(REQUEST_MODEL, "gpt-4o-mini", STATUS, "provider_error").timer().count()).isEqualTo(3);
    assertThat(registry.get(OPERATION_DURATION).tags(REQUEST_MODEL, "gpt-4o", STATUS, "ok").timer().count()).isEqualTo(1);
    assertThat(registry.get(CALL_DURATION).tags(REQUEST_MODEL, "gpt-4o", STATUS, "ok").timer().count()).isEqualTo(1);
  }

  @Test
  void aClientSideRateLimitWaitIsTimedFromItsAttribute() {
    sim.enqueue(SimulatedReply.json(VALID));
    ExchangeInterceptor limiter = chain -> {
      chain.attributes().put(ATTRIBUTE_RATE_LIMIT_WAIT_MS, "40");
      return chain.delay(Duration.ofMillis(40)).thenCompose(ignored -> chain.proceed(chain.request()));
    };
    desk(b -> b.interceptExchanges(limiter)).triage(TICKET, "t");
    var wait = registry.get(RATE_LIMIT_WAIT).tag(TASK, "triage").timer();
    assertThat(wait.count()).isEqualTo(1);
    assertThat(wait.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
  }

  @Test
  void aStreamRecordsItsTimeToFirstDelta() {
    sim.enqueue(SimulatedReply.json("{\"value\":\"Hello, we refunded the second charge.\"}").withChunkSize(6));
    desk(b -> b).draftReply(TICKET, "t").await();
    var first = registry.get(TIME_TO_FIRST_DELTA).tag(TASK, "draft_reply").timer();
    assertThat(first.count()).isEqualTo(1);
    assertThat(first.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(Long.parseLong(records.get(0).attributes().get(CallRecord.FIRST_DELTA_MS)));
    assertThat(registry.find(TIME_TO_FIRST_DELTA).tag(TASK, "triage").timer()).isNull();
  }

  @Test
  void aCallCountsAsActiveWhileItRuns() {
    sim.enqueue(SimulatedReply.json(VALID));
    AtomicReference<Double> during = new AtomicReference<>();
    CallInterceptor look = chain -> {
      during.set(registry.get(CALLS_ACTIVE).tag(TASK, "triage").gauge().value());
      return chain.proceed(chain.call());
    };
    desk(b -> b.intercept(look)).triage(TICKET, "t");
    assertThat(during.get()).isEqualTo(1.0);
    assertThat(registry.get(CALLS_ACTIVE).tag(TASK, "triage").gauge().value()).isZero();
  }

  @Test
  void prometheusSeesTheNamesTheDocsQueryAndNoPromptAnswerOrKey() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry = prometheus;
    TriageDesk desk = desk(b -> b);
    sim.enqueue(SimulatedReply.json(BROKEN)).enqueue(SimulatedReply.json(VALID));
    desk.triage(TICKET, "trace_secret_case");
    sim.enqueue(SimulatedReply.refusal("REFUSAL-MARKER I cannot help"));
    catchThrowable(() -> desk.triage(TICKET, "trace_secret_case"));
    sim.enqueue(SimulatedReply.status(401));
    catchThrowable(() -> desk.triage(TICKET, "trace_secret_case"));
    sim.enqueue(SimulatedReply.json("{\"value\":\"ANSWER-MARKER draft\"}").withChunkSize(4));
    desk.draftReply(TICKET, "trace_secret_case").await();

    String scrape = prometheus.scrape();
    assertThat(scrape).contains("llmtask_cost_usd_total{", "gen_ai_client_operation_duration_seconds_bucket{",
        "llmtask_call_duration_seconds_bucket{", "gen_ai_client_token_usage_tokens_bucket{",
        "gen_ai_token_type=\"input\"", "llmtask_task=\"triage\"", "gen_ai_request_model=\"gpt-4o-mini\"",
        "llmtask_stream_time_to_first_delta_seconds_count{", "llmtask_reasks_total{", "le=\"0.32\"");
    for (String secret : List.of(KEY, "PROMPT-MARKER", "ANSWER-MARKER", "REFUSAL-MARKER", "trace_secret_case", "invalid_api_key")) {
      assertThat(scrape).as("the scrape").doesNotContain(secret);
    }
    assertOnlyBoundedTags();
  }

  private double count(String counter) {
    return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Every tag is one of the bounded keys, and no value holds the prompt, the answer, the key or a trace id. */
  private void assertOnlyBoundedTags() {
    List<String> seen = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(TAG_KEYS).as("tag of " + meter.getId().getName()).contains(tag.getKey());
        seen.add(tag.getValue());
      }
    }
    assertThat(seen).isNotEmpty().allSatisfy(value -> assertThat(value)
        .doesNotContain(KEY).doesNotContain("MARKER").doesNotContain("trace_"));
    assertThat(Arrays.asList(CallStatus.values()).stream().map(CallStatus::wireName).toList()
        .containsAll(registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
            .filter(t -> t.getKey().equals(STATUS)).map(Tag::getValue).toList())).isTrue();
  }
}
