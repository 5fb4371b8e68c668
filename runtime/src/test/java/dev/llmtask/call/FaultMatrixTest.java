package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per fault, for each provider: the simulator plays the replies in order, and the call must
 * end with the expected status after the expected number of attempts, with exactly one record.
 */
class FaultMatrixTest {
  private static final String VALID = RotationFixture.VALID;
  private static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  record Row(String fault, List<SimulatedReply> replies, CallStatus status, int attempts) {
    @Override
    public String toString() {
      return fault;
    }
  }

  private static Row row(String fault, CallStatus status, int attempts, SimulatedReply... replies) {
    return new Row(fault, List.of(replies), status, attempts);
  }

  private static SimulatedReply[] times(int n, SimulatedReply r) {
    SimulatedReply[] a = new SimulatedReply[n];
    java.util.Arrays.fill(a, r);
    return a;
  }

  static List<Row> rows() {
    String broken = "{\"decision\":\"eligible\",\"rotation_window_days\":-5,\"source_line_ids\":[]}";
    return List.of(
        row("valid answer", CallStatus.OK, 1, SimulatedReply.json(VALID)),
        row("429 then valid", CallStatus.OK, 2, SimulatedReply.rateLimited(), SimulatedReply.json(VALID)),
        row("429 x3", CallStatus.RATE_LIMITED, 3, times(3, SimulatedReply.rateLimited())),
        row("quota exhausted", CallStatus.QUOTA_EXHAUSTED, 1, SimulatedReply.quotaExhausted()),
        row("402", CallStatus.QUOTA_EXHAUSTED, 1, SimulatedReply.status(402)),
        row("400", CallStatus.BAD_REQUEST, 1, SimulatedReply.status(400)),
        row("404", CallStatus.BAD_REQUEST, 1, SimulatedReply.status(404)),
        row("413", CallStatus.BAD_REQUEST, 1, SimulatedReply.status(413)),
        row("422", CallStatus.BAD_REQUEST, 1, SimulatedReply.status(422)),
        row("401", CallStatus.AUTH_ERROR, 1, SimulatedReply.status(401)),
        row("403", CallStatus.AUTH_ERROR, 1, SimulatedReply.status(403)),
        row("408 x3", CallStatus.TIMEOUT, 3, times(3, SimulatedReply.status(408))),
        row("409 then valid", CallStatus.OK, 2, SimulatedReply.status(409), SimulatedReply.json(VALID)),
        row("500 x3", CallStatus.PROVIDER_ERROR, 3, times(3, SimulatedReply.status(500))),
        row("502 then valid", CallStatus.OK, 2, SimulatedReply.status(502), SimulatedReply.json(VALID)),
        row("503 x3", CallStatus.PROVIDER_ERROR, 3, times(3, SimulatedReply.status(503))),
        row("504 then valid", CallStatus.OK, 2, SimulatedReply.status(504), SimulatedReply.json(VALID)),
        row("529 overloaded x3", CallStatus.PROVIDER_ERROR, 3, times(3, SimulatedReply.status(529))),
        row("418 unclassified", CallStatus.PROVIDER_ERROR, 1, SimulatedReply.status(418)),
        row("503 with x-should-retry false", CallStatus.PROVIDER_ERROR, 1,
            SimulatedReply.status(503).withHeader("x-should-retry", "false")),
        row("400 with x-should-retry true", CallStatus.OK, 2,
            SimulatedReply.status(400).withHeader("x-should-retry", "true"), SimulatedReply.json(VALID)),
        row("dropped connection then valid", CallStatus.OK, 2, SimulatedReply.dropConnection(), SimulatedReply.json(VALID)),
        row("dropped connection x3", CallStatus.PROVIDER_ERROR, 3, times(3, SimulatedReply.dropConnection())),
        row("200 with a non-JSON body then valid", CallStatus.OK, 2, SimulatedReply.invalidJson(), SimulatedReply.json(VALID)),
        row("200 with a cut body then valid", CallStatus.OK, 2, SimulatedReply.truncatedBody(), SimulatedReply.json(VALID)),
        row("refusal", CallStatus.REFUSED, 1, SimulatedReply.refusal("I cannot help with that.")),
        row("truncated answer", CallStatus.INVALID_OUTPUT, 1, SimulatedReply.truncated("{\"decision\":\"elig")),
        row("schema-breaking answer x2", CallStatus.INVALID_OUTPUT, 2, times(2, SimulatedReply.json(broken))),
        row("schema-breaking then valid", CallStatus.OK, 2, SimulatedReply.json(broken), SimulatedReply.json(VALID)),
        row("delay past the deadline", CallStatus.TIMEOUT, 1,
            SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5))));
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    Function<LlmSimulator, LlmProvider> openai = s -> OpenAiProvider.builder().baseUrl(s.openAiBaseUrl()).apiKey("sk-test-key-0000").build();
    Function<LlmSimulator, LlmProvider> anthropic = s -> AnthropicProvider.builder().baseUrl(s.anthropicBaseUrl()).apiKey("sk-ant-test-0000").build();
    for (Row r : rows()) {
      out.add(Arguments.of("openai", openai, r));
      out.add(Arguments.of("anthropic", anthropic, r));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("matrix")
  void eachFaultEndsWithItsStatusAfterItsAttempts(String provider, Function<LlmSimulator, LlmProvider> factory, Row row) {
    sim.reset();
    row.replies().forEach(sim::enqueue);
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    LlmRuntime rt = LlmRuntime.builder()
        .provider(factory.apply(sim))
        .backoff(Duration.ofMillis(5), Duration.ofMillis(40))
        .telemetry(records::add)
        .build();
    TaskSpec<RotationDecision> spec = RotationFixture.spec().build();
    var invocation = RotationFixture.invocation("trace_matrix").options(CallOptions.builder().timeout(Duration.ofMillis(1500)).build());

    CallRecord record;
    if (row.status() == CallStatus.OK) {
      LlmResult<RotationDecision> result = spec.callForResult(rt, invocation);
      assertThat(result.value().rotationWindowDays()).isEqualTo(30);
      record = result.record();
    } else {
      LlmTaskException e = catchThrowableOfType(LlmTaskException.class, () -> spec.call(rt, invocation));
      assertThat(e).as("the call must fail").isNotNull();
      record = e.record();
    }
    assertThat(record.status()).isEqualTo(row.status());
    assertThat(record.attempts()).isEqualTo(row.attempts());
    assertThat(record.provider()).isEqualTo(provider);
    assertThat(record.traceId()).isEqualTo("trace_matrix");
    assertThat(record.failureReason() == null).isEqualTo(row.status() == CallStatus.OK);
    assertThat(records).containsExactly(record);
    assertThat(sim.requests()).hasSize(row.attempts());
    assertThat(sim.requests()).allSatisfy(req -> assertThat(req.provider()).isEqualTo(provider));
  }
}
