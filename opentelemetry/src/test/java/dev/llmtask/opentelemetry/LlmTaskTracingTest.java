package dev.llmtask.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.Outcome;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import dev.llmtask.testkit.SimulatedReply;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The traces of calls against the loopback simulator, exported to the SDK's in-memory exporter. */
class LlmTaskTracingTest {
  private static final String KEY = "sk-tracing-secret-key-93ab";
  private static final String REPORT = "PROMPT-MARKER the checkout page returned 502 for an hour";
  private static final String VALID = "{\"headline\":\"ANSWER-MARKER checkout outage\",\"severity\":2}";
  private static final String BROKEN = "{\"headline\":\"ANSWER-MARKER checkout outage\",\"severity\":7}";
  private static LlmSimulator sim;
  private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private static final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
      .build();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
    // the first call of a JVM loads the JSON and validation classes (the task's deadline is 30 s)
    sim.enqueue(SimulatedReply.json(VALID));
    LlmTasks.create(IncidentDesk.class, LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(KEY).build()).build()).summarise(REPORT, "t");
  }

  @AfterAll
  static void stop() {
    sim.close();
    otel.close();
  }

  @BeforeEach
  void fresh() {
    sim.reset();
    exporter.reset();
    records.clear();
  }

  private IncidentDesk desk(OpenTelemetry openTelemetry, UnaryOperator<LlmRuntime.Builder> more) {
    LlmRuntime.Builder builder = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(KEY).build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .rateCard(RateCard.illustrative())
        .taskOptions("summarise", CallOptions.builder().timeout(Duration.ofMillis(2500)).build())
        .telemetry(records::add);
    LlmTaskTracing.create(openTelemetry).register(builder);
    return LlmTasks.create(IncidentDesk.class, more.apply(builder).build());
  }

  private IncidentDesk desk() {
    return desk(otel, b -> b);
  }

  record Row(String fault, CallStatus status, List<String> attemptErrors, List<SimulatedReply> replies) {
    @Override
    public String toString() {
      return fault;
    }
  }

  /** {@code attemptErrors}: the error.type of each attempt span, "" for an attempt that got an answer. */
  private static Row row(String fault, CallStatus status, List<String> attemptErrors, SimulatedReply... replies) {
    return new Row(fault, status, attemptErrors, List.of(replies));
  }

  static List<Row> faults() {
    return List.of(
        row("valid answer", CallStatus.OK, List.of(""), SimulatedReply.json(VALID)),
        row("429 then valid", CallStatus.OK, List.of("rate_limited", ""), SimulatedReply.rateLimited(), SimulatedReply.json(VALID)),
        row("429 x3", CallStatus.RATE_LIMITED, List.of("rate_limited", "rate_limited", "rate_limited"),
            SimulatedReply.rateLimited(), SimulatedReply.rateLimited(), SimulatedReply.rateLimited()),
        row("quota exhausted", CallStatus.QUOTA_EXHAUSTED, List.of("quota_exhausted"), SimulatedReply.quotaExhausted()),
        row("400", CallStatus.BAD_REQUEST, List.of("bad_request"), SimulatedReply.status(400)),
        row("401", CallStatus.AUTH_ERROR, List.of("auth_error"), SimulatedReply.status(401)),
        row("503 then valid", CallStatus.OK, List.of("provider_error", ""), SimulatedReply.status(503), SimulatedReply.json(VALID)),
        row("dropped connection x3", CallStatus.PROVIDER_ERROR, List.of("provider_error", "provider_error", "provider_error"),
            SimulatedReply.dropConnection(), SimulatedReply.dropConnection(), SimulatedReply.dropConnection()),
        row("refusal", CallStatus.REFUSED, List.of(""), SimulatedReply.refusal("REFUSAL-MARKER I will not")),
        row("schema-breaking x2", CallStatus.INVALID_OUTPUT, List.of("", ""), SimulatedReply.json(BROKEN), SimulatedReply.json(BROKEN)),
        row("schema-breaking then valid", CallStatus.OK, List.of("", ""), SimulatedReply.json(BROKEN), SimulatedReply.json(VALID)),
        row("delay past the deadline", CallStatus.TIMEOUT, List.of("timeout"),
            SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void eachCallIsOneSpanWithItsStatusAndOneChildSpanPerAttempt(Row row) {
    row.replies().forEach(sim::enqueue);
    Throwable failure = catchThrowable(() -> desk().summarise(REPORT, "trace_matrix"));
    assertThat(failure == null).isEqualTo(row.status() == CallStatus.OK);
    CallRecord record = records.get(0);

    SpanData call = callSpan();
    assertThat(call.getName()).isEqualTo("llmtask summarise");
    assertThat(call.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(call.getAttributes().get(LlmTaskAttributes.STATUS)).isEqualTo(row.status().wireName());
    assertThat(call.getAttributes().get(LlmTaskAttributes.ATTEMPTS)).isEqualTo(row.attemptErrors().size());
    assertThat(call.getAttributes().get(LlmTaskAttributes.TRACE_ID)).isEqualTo("trace_matrix");
    assertThat(call.getAttributes().get(LlmTaskAttributes.PROMPT_VERSION)).isEqualTo("incident_summary@3");
    if (row.status() == CallStatus.OK) {
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(call.getAttributes().get(GenAiAttributes.ERROR_TYPE)).isNull();
      assertThat(call.getAttributes().get(LlmTaskAttributes.COST_USD)).isEqualTo(record.costUsd().doubleValue());
    } else {
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(call.getStatus().getDescription()).isEqualTo(row.status().wireName());
      assertThat(call.getAttributes().get(GenAiAttributes.ERROR_TYPE)).isEqualTo(row.status().wireName());
    }

    List<SpanData> attempts = attemptSpans();
    assertThat(attempts).hasSize(row.attemptErrors().size());
    for (int i = 0; i < attempts.size(); i++) {
      SpanData a = attempts.get(i);
      assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(a.getTraceId()).isEqualTo(call.getTraceId());
      assertThat(a.getName()).isEqualTo("chat gpt-4o-mini");
      assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(a.getAttributes().get(GenAiAttributes.OPERATION_NAME)).isEqualTo("chat");
      assertThat(a.getAttributes().get(GenAiAttributes.PROVIDER_NAME)).isEqualTo("openai");
      assertThat(a.getAttributes().get(GenAiAttributes.REQUEST_MODEL)).isEqualTo("gpt-4o-mini");
      assertThat(a.getAttributes().get(LlmTaskAttributes.ATTEMPT)).isEqualTo(i + 1);
      String error = row.attemptErrors().get(i);
      if (error.isEmpty()) {
        assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(a.getAttributes().get(GenAiAttributes.RESPONSE_FINISH_REASONS))
            .containsExactly(row.status() == CallStatus.REFUSED ? "refusal" : "stop");
        assertThat(a.getAttributes().get(GenAiAttributes.USAGE_OUTPUT_TOKENS)).isEqualTo(record.attemptDetails().get(i).outputTokens());
        assertThat(a.getAttributes().get(GenAiAttributes.RESPONSE_ID)).startsWith("chatcmpl-");
        assertThat(a.getAttributes().get(GenAiAttributes.RESPONSE_MODEL)).isEqualTo("gpt-4o-mini");
      } else {
        assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(a.getAttributes().get(GenAiAttributes.ERROR_TYPE)).isEqualTo(error);
      }
    }
    assertNoContent();
  }

  @Test
  void aRetriedCallIsOneSpanWithAnAttemptChildPerTryARetryEventAndTheTraceparentOfEachAttempt() {
    sim.enqueue(SimulatedReply.rateLimited()).enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(VALID));
    desk().summarise(REPORT, "trace_retry");

    SpanData call = callSpan();
    List<SpanData> attempts = attemptSpans();
    assertThat(exporter.getFinishedSpanItems()).hasSize(4);
    assertThat(attempts).extracting(a -> a.getAttributes().get(LlmTaskAttributes.RETRY)).containsExactly(0L, 1L, 2L);
    assertThat(call.getEvents()).extracting(EventData::getName).containsExactly(LlmTaskAttributes.EVENT_RETRY, LlmTaskAttributes.EVENT_RETRY);
    assertThat(call.getEvents()).extracting(e -> e.getAttributes().get(LlmTaskAttributes.PREVIOUS_OUTCOME))
        .containsExactly("rate_limited", "provider_error");
    assertThat(attempts.get(1).getAttributes().get(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(503L);

    List<RecordedRequest> requests = sim.requests();
    assertThat(requests).hasSize(3);
    for (int i = 0; i < 3; i++) {
      SpanData a = attempts.get(i);
      assertThat(requests.get(i).header("traceparent")).isEqualTo("00-" + a.getTraceId() + "-" + a.getSpanId() + "-" + a.getSpanContext().getTraceFlags().asHex());
      assertThat(a.getSpanContext().isSampled()).isTrue();
    }
  }

  @Test
  void aReAskIsAnEventAndTheAttemptSaysHowManyAnswersWereRejected() {
    sim.enqueue(SimulatedReply.json(BROKEN)).enqueue(SimulatedReply.json(VALID));
    desk().summarise(REPORT, "t");
    assertThat(callSpan().getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo(LlmTaskAttributes.EVENT_REASK);
      assertThat(e.getAttributes().get(LlmTaskAttributes.ATTEMPT)).isEqualTo(2L);
    });
    assertThat(attemptSpans()).extracting(a -> a.getAttributes().get(LlmTaskAttributes.REASK)).containsExactly(0L, 1L);
  }

  @Test
  void aFallbackIsAnEventNamingTheRouteAndItsAttemptSpanCarriesTheFallbackIndex() {
    sim.enqueue(SimulatedReply.quotaExhausted()).enqueue(SimulatedReply.json(VALID));
    IncidentDesk desk = desk(otel, b -> b.intercept(chain -> chain.proceed(chain.call()).thenCompose(outcome ->
        outcome instanceof Outcome.Failed ? chain.proceed(chain.call().withModel("gpt-4o")) : CompletableFuture.completedFuture(outcome))));
    desk.summarise(REPORT, "t");

    SpanData call = callSpan();
    assertThat(call.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo(LlmTaskAttributes.EVENT_FALLBACK);
      assertThat(e.getAttributes().get(GenAiAttributes.REQUEST_MODEL)).isEqualTo("gpt-4o");
      assertThat(e.getAttributes().get(LlmTaskAttributes.FALLBACK_INDEX)).isEqualTo(1L);
      assertThat(e.getAttributes().get(LlmTaskAttributes.PREVIOUS_OUTCOME)).isEqualTo("quota_exhausted");
    });
    assertThat(attemptSpans()).extracting(SpanData::getName).containsExactly("chat gpt-4o-mini", "chat gpt-4o");
    assertThat(attemptSpans()).extracting(a -> a.getAttributes().get(LlmTaskAttributes.FALLBACK_INDEX)).containsExactly(0L, 1L);
    assertThat(call.getAttributes().get(LlmTaskAttributes.MODEL)).isEqualTo("gpt-4o");
    assertThat(exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("llmtask "))).hasSize(1);
  }

  @Test
  void aBudgetRefusalIsAnErrorCallSpanWithoutAttempts() {
    IncidentDesk desk = desk(otel, b -> b.intercept(chain ->
        CompletableFuture.completedFuture(Outcome.failed(CallStatus.BUDGET_EXCEEDED, "the daily budget is spent"))));
    assertThat(catchThrowable(() -> desk.summarise(REPORT, "t"))).isNotNull();
    SpanData call = callSpan();
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getAttributes().get(GenAiAttributes.ERROR_TYPE)).isEqualTo("budget_exceeded");
    assertThat(call.getAttributes().get(LlmTaskAttributes.ATTEMPTS)).isZero();
    assertThat(attemptSpans()).isEmpty();
    assertNoContent();
  }

  @Test
  void aCallCancelledByItsCallerEndsItsSpanCancelledAndItsAttemptSpanToo() throws Exception {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofMillis(800)));
    CompletableFuture<IncidentDesk.Summary> later = desk().summariseLater(REPORT, "t");
    while (sim.requests().isEmpty()) {
      Thread.sleep(5);
    }
    later.cancel(true);
    while (exporter.getFinishedSpanItems().size() < 2) {
      Thread.sleep(5);
    }
    SpanData call = callSpan();
    assertThat(call.getName()).isEqualTo("llmtask summarise_later");
    assertThat(call.getAttributes().get(LlmTaskAttributes.MODE)).isEqualTo("async");
    assertThat(call.getAttributes().get(GenAiAttributes.ERROR_TYPE)).isEqualTo("cancelled");
    assertThat(attemptSpans()).singleElement().satisfies(a -> {
      assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    });
  }

  @Test
  void theRecordAndTheSpanFindEachOther() {
    sim.enqueue(SimulatedReply.json(VALID));
    desk().summarise(REPORT, "trace_acct_10234_01");
    CallRecord record = records.get(0);
    SpanData call = callSpan();
    assertThat(record.attributes()).containsEntry(LlmTaskAttributes.RECORD_OTEL_TRACE_ID, call.getTraceId())
        .containsEntry(LlmTaskAttributes.RECORD_OTEL_SPAN_ID, call.getSpanId());
    assertThat(call.getAttributes().get(LlmTaskAttributes.TRACE_ID)).isEqualTo(record.traceId());
    assertThat(record.toLogLine()).contains(" attr.otel_trace_id=" + call.getTraceId());
  }

  @Test
  void theCallSpanIsAChildOfTheCallersSpan() {
    sim.enqueue(SimulatedReply.json(VALID));
    IncidentDesk desk = desk();
    Span request = otel.getTracer("test").spanBuilder("GET /incidents/7").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      desk.summarise(REPORT, "t");
    } finally {
      request.end();
    }
    assertThat(callSpan().getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(callSpan().getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
  }

  @Test
  void aStreamedAttemptIsMarkedStreamingAndTheCallSpanHasItsTimeToFirstDelta() {
    sim.enqueue(SimulatedReply.json("{\"value\":\"ANSWER-MARKER we restored checkout\"}").withChunkSize(5));
    desk().narrate(REPORT, "t").await();
    SpanData call = callSpan();
    assertThat(call.getAttributes().get(LlmTaskAttributes.MODE)).isEqualTo("stream");
    assertThat(call.getAttributes().get(LlmTaskAttributes.FIRST_DELTA_MS))
        .isEqualTo(Long.parseLong(records.get(0).attributes().get(CallRecord.FIRST_DELTA_MS)));
    assertThat(attemptSpans()).singleElement()
        .satisfies(a -> assertThat(a.getAttributes().get(GenAiAttributes.REQUEST_STREAM)).isTrue());
    assertThat(sim.requests().get(0).header("traceparent")).contains(call.getTraceId());
    assertNoContent();
  }

  @Test
  void aShortCircuitedCallIsASpanWithoutAttempts() {
    IncidentDesk desk = desk(otel, b -> b.intercept(chain -> {
      chain.attributes().put("cache", "hit");
      return CompletableFuture.completedFuture(Outcome.answered(new IncidentDesk.Summary("cached", 1)));
    }));
    desk.summarise(REPORT, "t");
    assertThat(callSpan().getAttributes().get(LlmTaskAttributes.CACHE_STATUS)).isEqualTo("hit");
    assertThat(callSpan().getAttributes().get(LlmTaskAttributes.ATTEMPTS)).isZero();
    assertThat(attemptSpans()).isEmpty();
  }

  @Test
  void withoutAnSdkCallsRunUntracedAndTheRecordGetsNoSpanIds() {
    sim.enqueue(SimulatedReply.json(VALID));
    desk(OpenTelemetry.noop(), b -> b).summarise(REPORT, "t");
    assertThat(records.get(0).attributes()).doesNotContainKeys(LlmTaskAttributes.RECORD_OTEL_TRACE_ID,
        LlmTaskAttributes.RECORD_OTEL_SPAN_ID);
    assertThat(sim.requests().get(0).hasHeader("traceparent")).isFalse();
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  private SpanData callSpan() {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("llmtask ")).findFirst().orElseThrow();
  }

  private List<SpanData> attemptSpans() {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("chat "))
        .sorted(java.util.Comparator.comparing(s -> s.getAttributes().get(LlmTaskAttributes.ATTEMPT)))
        .toList();
  }

  /** Everything exported — names, attributes, events, statuses — holds no prompt, answer, refusal, key or failure reason. */
  private void assertNoContent() {
    StringBuilder all = new StringBuilder();
    for (SpanData s : exporter.getFinishedSpanItems()) {
      all.append(s.getName()).append(s.getAttributes()).append(s.getStatus()).append(s.getResource());
      s.getEvents().forEach(e -> all.append(e.getName()).append(e.getAttributes()));
    }
    assertThat(all).isNotEmpty();
    for (String secret : List.of(KEY, "PROMPT-MARKER", "ANSWER-MARKER", "REFUSAL-MARKER", "invalid_api_key", "HTTP ")) {
      assertThat(all.toString()).as("the exported spans").doesNotContain(secret);
    }
    records.forEach(r -> assertThat(r.attributes().keySet()).allSatisfy(k -> assertThat(k).isIn(
        LlmTaskAttributes.RECORD_OTEL_TRACE_ID, LlmTaskAttributes.RECORD_OTEL_SPAN_ID, CallRecord.FIRST_DELTA_MS, "cache")));
  }
}
