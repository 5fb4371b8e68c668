package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an OpenAI-compatible server or a broken proxy sends that a strict reading got wrong: a stream
 * without {@code [DONE]}, a wrapped answer, error objects in a 200, a JSON reply to a stream, a
 * wrong base URL, oversized bodies.
 */
@ExtendWith(LlmSimulatorExtension.class)
class HostileProviderTest {
  private static final String VALID = RotationFixture.VALID;
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  HostileProviderTest(LlmSimulator sim) {
    this.sim = sim;
  }

  private LlmRuntime runtime(LlmProvider provider) {
    return LlmRuntime.builder()
        .provider(provider)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .streamIdleTimeout(Duration.ofSeconds(2))
        .telemetry(records::add)
        .build();
  }

  private LlmRuntime openAi() {
    return runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-hostile").build());
  }

  private LlmRuntime anthropic() {
    return runtime(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-hostile").build());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private LlmTaskException streamFailure(LlmRuntime rt) {
    return catchThrowableOfType(LlmTaskException.class, () -> ROTATION.stream(rt, RotationFixture.invocation("t")).await());
  }

  private LlmTaskException callFailure(LlmRuntime rt) {
    return catchThrowableOfType(LlmTaskException.class, () -> ROTATION.call(rt, RotationFixture.invocation("t")));
  }

  // ---- defect 2: a stream closed cleanly after the finish reason, without [DONE] -------------

  @Test
  void anOpenAiStreamClosedCleanlyAfterItsFinishReasonAndUsageCompletes() {
    sim.enqueue(SimulatedReply.streamWithoutEndEvent(VALID).withChunkSize(9).withUsage(120, 40, 0));

    RotationDecision d = ROTATION.stream(openAi(), RotationFixture.invocation("t")).await();

    assertThat(d.rotationWindowDays()).isEqualTo(30);
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CallStatus.OK);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.outputTokens()).isEqualTo(40);
    });
  }

  @Test
  void anOpenAiStreamClosedCleanlyBeforeItsFinishReasonStaysACutStream() {
    String deltas = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
        + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quoted(VALID) + "}}]}\n\n";
    sim.enqueue(SimulatedReply.raw(200, "text/event-stream", utf8(deltas)));

    LlmTaskException e = streamFailure(openAi());

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).contains("stream cut").doesNotContain("eligible");
    assertThat(records).hasSize(1);
  }

  @Test
  void anAnthropicStreamWithoutMessageStopStaysACutStream() {
    sim.enqueue(SimulatedReply.streamWithoutEndEvent(VALID));

    LlmTaskException e = streamFailure(anthropic());

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).contains("stream cut");
  }

  // ---- defect 3: one BOM and one fence are stripped, nothing more ---------------------------

  @ParameterizedTest
  @ValueSource(strings = {"\uFEFF" + VALID, "```json\n" + VALID + "\n```", "```\n" + VALID + "\n```\n",
      "\uFEFF```JSON\n" + VALID + "\n```"})
  void aBomOrOneFenceAroundTheAnswerIsAcceptedAndTheRecordSaysSo(String answer) {
    sim.enqueue(SimulatedReply.json(answer));

    LlmResult<RotationDecision> result = ROTATION.callForResult(openAi(), RotationFixture.invocation("t"));

    assertThat(result.value().rotationWindowDays()).isEqualTo(30);
    String how = answer.startsWith("\uFEFF") ? (answer.contains("```") ? "bom+fence" : "bom") : "fence";
    assertThat(result.record().attributes()).containsExactly(java.util.Map.entry(CallRecord.ANSWER_UNWRAPPED, how));
    assertThat(result.record().toLogLine()).contains("answer_unwrapped=" + how);
    assertThat(result.record().attempts()).isEqualTo(1); // no re-ask wasted
    assertThat(sim.requests()).hasSize(1);
  }

  @Test
  void aStreamedFencedAnswerIsAcceptedToo() {
    sim.enqueue(SimulatedReply.json("```json\n" + VALID + "\n```").withChunkSize(6));

    assertThat(ROTATION.stream(openAi(), RotationFixture.invocation("t")).await().rotationWindowDays()).isEqualTo(30);
    assertThat(records).singleElement().satisfies(r -> assertThat(r.attributes()).containsEntry("answer_unwrapped", "fence"));
  }

  @Test
  void aPlainAnswerHasNoUnwrappedAttribute() {
    sim.enqueue(SimulatedReply.json(VALID));

    assertThat(ROTATION.callForResult(openAi(), RotationFixture.invocation("t")).record().attributes()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uFEFF\uFEFF" + VALID, "Here you go:\n```json\n" + VALID + "\n```",
      "```json\n```json\n" + VALID + "\n```\n```", "```python\n" + VALID + "\n```", "```json " + VALID + "```",
      "```json\n" + VALID + "\n```\nHope this helps"})
  void anythingMoreThanOneBomAndOneFenceIsStillInvalid(String answer) {
    sim.enqueue(SimulatedReply.json(answer)).enqueue(SimulatedReply.json(answer));

    LlmTaskException e = callFailure(openAi());

    assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
    assertThat(e.record().failureReason()).doesNotContain("eligible").doesNotContain("P-7");
  }

  // ---- defect 5: reasons that name what happened --------------------------------------------

  @Test
  void anAnthropicPromptTooLongSaysSo() {
    sim.enqueue(SimulatedReply.error(400, "invalid_request_error", null, "prompt is too long: 215000 tokens > 200000 maximum"));

    LlmTaskException e = callFailure(anthropic());

    assertThat(e.status()).isEqualTo(CallStatus.CONTEXT_TOO_LONG);
    assertThat(e.record().failureReason()).contains("invalid_request_error")
        .contains("the prompt is too long for the model's context window");
    assertThat(e.record().attempts()).isEqualTo(1);
  }

  @Test
  void anOpenAiContextLengthExceededSaysTheSame() {
    sim.enqueue(SimulatedReply.error(400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 tokens."));

    LlmTaskException e = callFailure(openAi());
    assertThat(e.status()).isEqualTo(CallStatus.CONTEXT_TOO_LONG);
    assertThat(e.record().attempts()).as("not retried").isEqualTo(1);
    assertThat(e.record().failureReason())
        .contains("context_length_exceeded").contains("too long for the model's context window");
  }

  @Test
  void anOpenAiErrorChunkInA200StreamIsReportedByItsTypeNotAsHttp500() {
    sim.enqueue(SimulatedReply.streamError(VALID, 2, "server_error").withChunkSize(5));

    LlmTaskException e = streamFailure(openAi());

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).startsWith("error event in the HTTP 200 stream: server_error")
        .doesNotContain("HTTP 500");
  }

  @Test
  void aPlainJsonAnswerToAStreamRequestIsReportedAsSuch() {
    String completion = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
        + "{\"role\":\"assistant\",\"content\":" + quoted(VALID) + "},\"finish_reason\":\"stop\"}]}";
    sim.enqueue(SimulatedReply.raw(200, "application/json", utf8(completion)));

    LlmTaskException e = streamFailure(openAi());

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).startsWith("expected an event stream, got application/json")
        .doesNotContain("eligible");
    assertThat(e.record().attempts()).isEqualTo(1);
  }

  @Test
  void aJsonErrorBodyAnsweringAStreamRequestIsClassifiedByThatBody() {
    SimulatedReply rateLimited = SimulatedReply.raw(200, "application/json; charset=utf-8",
        utf8("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
    sim.enqueue(rateLimited).enqueue(rateLimited).enqueue(rateLimited);

    LlmTaskException openAi = streamFailure(openAi());

    assertThat(openAi.status()).isEqualTo(CallStatus.RATE_LIMITED);
    assertThat(openAi.record().attempts()).isEqualTo(3); // retried like a 429: nothing reached the caller yet
    assertThat(openAi.record().failureReason()).startsWith("HTTP 200 with an error body: requests (code rate_limit_exceeded)");

    sim.enqueue(SimulatedReply.raw(200, "application/json",
        utf8("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}")));
    LlmTaskException anthropic = streamFailure(anthropic());

    assertThat(anthropic.status()).isEqualTo(CallStatus.BAD_REQUEST);
    assertThat(anthropic.record().failureReason()).startsWith("HTTP 200 with an error body: invalid_request_error");
  }

  @Test
  void a404NamesThePathAndTheBaseUrlFormEachProviderExpects() {
    LlmRuntime missingV1 = runtime(OpenAiProvider.builder().baseUrl(sim.baseUrl()).apiKey("sk-test-hostile").build());
    LlmTaskException openAi = callFailure(missingV1);
    assertThat(openAi.status()).isEqualTo(CallStatus.BAD_REQUEST);
    assertThat(openAi.record().failureReason()).contains("HTTP 404").contains("POST /chat/completions was not found")
        .contains("includes /v1");

    LlmRuntime doubledV1 = runtime(AnthropicProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-ant-hostile").build());
    LlmTaskException anthropic = streamFailure(doubledV1);
    assertThat(anthropic.record().failureReason()).contains("POST /v1/v1/messages was not found")
        .contains("without /v1");
  }

  // ---- resource caps ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anOversizedBodyEndsTheCallAfterOneAttempt(boolean announced) {
    sim.enqueue(SimulatedReply.oversizedBody(50L * 1024 * 1024, announced));
    LlmRuntime rt = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-hostile")
        .maxResponseBytes(64 * 1024).build());

    LlmTaskException e = callFailure(rt);

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).contains("response-size cap of 65536 bytes");
    assertThat(e.record().attempts()).isEqualTo(1);
    assertThat(sim.requests()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBodyOfExactlyTheCapIsReadAndOneByteMoreIsNot(boolean announced) {
    int cap = 4096;
    String completion = "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + quoted(VALID) + "},\"finish_reason\":\"stop\"}]";
    String atCap = completion + ",\"pad\":\"" + "x".repeat(cap - completion.length() - 10) + "\"}";
    assertThat(utf8(atCap)).hasSize(cap);
    LlmRuntime rt = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-hostile")
        .maxResponseBytes(cap).build());
    SimulatedReply exact = SimulatedReply.raw(200, "application/json", utf8(atCap));
    SimulatedReply over = SimulatedReply.raw(200, "application/json", utf8(atCap + " "));

    sim.enqueue(announced ? exact : exact.withHeader("transfer-encoding", "chunked"));
    assertThat(ROTATION.call(rt, RotationFixture.invocation("t")).rotationWindowDays()).isEqualTo(30);
    sim.enqueue(over);
    LlmTaskException e = callFailure(rt);
    assertThat(e.record().failureReason()).contains("response-size cap of 4096 bytes");
    assertThat(e.record().attempts()).isEqualTo(1);
  }

  @Test
  void anEventLineOfExactlyTheCapIsReadAndOneCharMoreIsNot() {
    int cap = 2048;
    String chunk = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quoted(VALID) + "}}]";
    String pad = ",\"pad\":\"" + "x".repeat(cap - chunk.length() - 10) + "\"}";
    String line = chunk + pad;
    assertThat(line).hasSize(cap);
    String end = "\n\ndata: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    LlmRuntime rt = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-hostile")
        .maxEventLineChars(cap).build());

    sim.enqueue(SimulatedReply.raw(200, "text/event-stream", utf8(line + end)));
    assertThat(ROTATION.stream(rt, RotationFixture.invocation("t")).await().rotationWindowDays()).isEqualTo(30);
    sim.enqueue(SimulatedReply.raw(200, "text/event-stream", utf8(chunk + "x" + pad + end)));
    assertThat(streamFailure(rt).record().failureReason()).contains("an event line exceeds 2048 chars");
  }

  @Test
  void anOversizedEventLineEndsTheStreamAfterOneAttempt() {
    sim.enqueue(SimulatedReply.oversizedBody(8L * 1024 * 1024, false));
    LlmRuntime rt = runtime(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-hostile")
        .maxEventLineChars(4096).build());

    LlmTaskException e = streamFailure(rt);

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).contains("an event line exceeds 4096 chars (maxEventLineChars)");
    assertThat(e.record().attempts()).isEqualTo(1);
  }

  /**
   * Bytes that are not UTF-8 in an event stream (WireFuzzTest's random bodies) used to stop the
   * reader where it was: it looped on them forever, holding one of the client's two threads, so
   * after two such streams every later exchange of that provider waited for its deadline. Now the
   * stream fails at once (a stream that has opened is not sent again) and the next call is answered.
   */
  @ParameterizedTest(name = "anthropic={0}")
  @ValueSource(booleans = {true, false})
  void anEventStreamThatIsNotUtf8FailsItsCallAndTheProviderAnswersTheNextCall(boolean anthropicWire) {
    LlmRuntime rt = anthropicWire ? anthropic() : openAi();
    byte[] notUtf8 = {'d', 'a', 't', 'a', ':', ' ', '{', (byte) 0xff, (byte) 0xfe, '}', '\n', '\n'};
    for (int i = 0; i < 3; i++) { // more hostile streams than the client has threads
      sim.enqueue(SimulatedReply.raw(200, "text/event-stream", notUtf8));

      LlmTaskException e = streamFailure(rt);

      assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
      assertThat(e.record().failureReason()).contains("the event stream is not UTF-8");
      assertThat(e.record().attempts()).isEqualTo(1);
    }
    sim.enqueue(SimulatedReply.json(VALID));
    assertThat(ROTATION.stream(rt, RotationFixture.invocation("after-stream")).await().rotationWindowDays()).isEqualTo(30);
    sim.enqueue(SimulatedReply.json(VALID));
    assertThat(ROTATION.call(rt, RotationFixture.invocation("after-call")).rotationWindowDays()).isEqualTo(30);
    assertThat(records).extracting(CallRecord::status).containsExactly(CallStatus.PROVIDER_ERROR,
        CallStatus.PROVIDER_ERROR, CallStatus.PROVIDER_ERROR, CallStatus.OK, CallStatus.OK);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aFiftyMegabyteBodyCostsTheClientNoMoreThanAFewTimesTheCapInAllocations(boolean streamed) {
    int cap = 1024 * 1024;
    LlmRuntime rt = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-hostile")
        .maxResponseBytes(cap).maxEventLineChars(cap).build());
    sim.enqueue(SimulatedReply.json(VALID)); // warm the path first
    ROTATION.call(rt, RotationFixture.invocation("warm"));
    sim.enqueue(SimulatedReply.oversizedBody(50L * 1024 * 1024, false));

    long before = clientAllocatedBytes();
    LlmTaskException e = streamed ? streamFailure(rt) : callFailure(rt);
    long allocated = clientAllocatedBytes() - before;

    assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    System.out.printf("figures cap: 50 MiB %s body, cap %d bytes, client threads allocated %d bytes%n",
        streamed ? "streamed" : "plain", cap, allocated);
    assertThat(allocated).isLessThan(4L * cap + 4L * 1024 * 1024);
  }

  /** Bytes allocated so far by every live thread but the simulator's (which writes the body). */
  private static long clientAllocatedBytes() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().startsWith("llmtask-simulator")) {
        sum += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
      }
    }
    return sum;
  }

  @Test
  void capsBelowTheMinimumFailWhenTheProviderIsBuiltNamingTheSetting() {
    assertThatThrownBy(() -> OpenAiProvider.builder().maxResponseBytes(100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxResponseBytes must be at least 1024");
    assertThatThrownBy(() -> AnthropicProvider.builder().maxEventLineChars(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEventLineChars must be at least 1024");
  }

  static String quoted(String s) {
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s).toString();
  }
}
