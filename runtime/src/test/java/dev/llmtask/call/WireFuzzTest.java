package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of answers and wire bytes for both providers, blocking and streamed:
 * whatever arrives, the call ends in a named {@link CallStatus} with exactly one record, only
 * {@link LlmTaskException} escapes, and the failure reason never quotes the answer. Each property
 * is bounded in tries; everything runs against the loopback simulator.
 */
class WireFuzzTest {
  /** Planted in every answer and body: it must never reach a failure reason. */
  private static final String MARKER = "ZXQ_ANSWER_TEXT_MARKER";
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().maxRetries(1).build();
  private static final List<String> CONTENT_TYPES =
      List.of("application/json", "text/event-stream", "text/html; charset=utf-8", "application/octet-stream");
  private static LlmSimulator sim;
  private static LlmRuntime openAi;
  private static LlmRuntime anthropic;
  private static final List<CallRecord> records = new CopyOnWriteArrayList<>();
  static final AtomicInteger calls = new AtomicInteger();

  @BeforeContainer
  static void start() {
    sim = LlmSimulator.start(7);
    openAi = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-fuzz")
        .maxResponseBytes(256 * 1024).maxEventLineChars(64 * 1024).build());
    anthropic = runtime(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-fuzz")
        .maxResponseBytes(256 * 1024).maxEventLineChars(64 * 1024).build());
  }

  @AfterContainer
  static void stop() {
    sim.close();
    System.out.println("figures fuzz: calls=" + calls.get() + " records=" + records.size());
  }

  private static LlmRuntime runtime(LlmProvider provider) {
    return LlmRuntime.builder()
        .provider(provider)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .streamIdleTimeout(Duration.ofSeconds(2))
        .telemetry(records::add)
        .build();
  }

  /** One call of every kind the property picks; the checks every fuzzed call must pass. */
  private static void callAndCheck(SimulatedReply reply, boolean anthropicWire, boolean streamed) {
    sim.reset();
    sim.enqueue(reply).enqueue(reply);
    int before = records.size();
    calls.incrementAndGet();
    String trace = "fuzz_" + calls.get();
    LlmRuntime rt = anthropicWire ? anthropic : openAi;
    // no @Check: the fixture's rule quotes the cited line ids, as an application's own rule may; the
    // runtime's own reasons are what is fuzzed here
    var invocation = dev.llmtask.codegen.Invocation.<RotationDecision>of("Answer only from the policy.", "question")
        .traceId(trace).options(CallOptions.builder().timeout(Duration.ofSeconds(3)).build());
    CallRecord record;
    try {
      record = streamed
          ? ROTATION.stream(rt, invocation).result().join().record()
          : ROTATION.callForResult(rt, invocation).record();
    } catch (LlmTaskException e) {
      record = e.record();
      assertThat(e.status()).isNotEqualTo(CallStatus.OK);
      assertThat(e.record().failureReason()).isNotBlank().doesNotContain(MARKER);
      assertThat(e.getMessage()).doesNotContain(MARKER);
    } catch (java.util.concurrent.CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(LlmTaskException.class);
      record = ((LlmTaskException) e.getCause()).record();
      assertThat(record.failureReason()).isNotBlank().doesNotContain(MARKER);
    }
    assertThat(record.status()).isNotNull();
    assertThat(record.traceId()).isEqualTo(trace);
    assertThat(record.toLogLine()).doesNotContain(MARKER);
    assertThat(records.subList(before, records.size())).as("exactly one record").containsExactly(record);
  }

  @Property(tries = 60)
  void mutatedValidAnswers(@ForAll("mutatedAnswers") String answer, @ForAll boolean anthropicWire, @ForAll boolean streamed) {
    callAndCheck(SimulatedReply.json(answer).withChunkSize(5), anthropicWire, streamed);
  }

  @Property(tries = 40)
  void randomJson(@ForAll Random random, @ForAll boolean anthropicWire, @ForAll boolean streamed) {
    callAndCheck(SimulatedReply.json(randomJson(random, 0)), anthropicWire, streamed);
  }

  @Property(tries = 30)
  void randomBytes(@ForAll("bodies") byte[] body, @ForAll("statuses") int status, @ForAll("contentTypes") String type,
      @ForAll boolean anthropicWire, @ForAll boolean streamed) {
    callAndCheck(SimulatedReply.raw(status, type, body), anthropicWire, streamed);
  }

  @Property(tries = 60)
  void malformedEventStreams(@ForAll Random random, @ForAll boolean anthropicWire) {
    callAndCheck(SimulatedReply.raw(200, "text/event-stream", malformedSse(random, anthropicWire)), anthropicWire, true);
  }

  @Property(tries = 16)
  void truncatedAndOversizedBodies(@ForAll("sizes") long size, @ForAll boolean announced, @ForAll boolean truncated,
      @ForAll boolean anthropicWire, @ForAll boolean streamed) {
    callAndCheck(truncated ? SimulatedReply.truncatedBody() : SimulatedReply.oversizedBody(size, announced),
        anthropicWire, streamed);
  }

  @Provide
  Arbitrary<String> mutatedAnswers() {
    String valid = RotationFixture.VALID.replace("\"P-7\"]", "\"P-7\",\"" + MARKER + "\"]");
    return Arbitraries.randoms().map(r -> mutate(valid, r));
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.randoms().map(r -> {
      byte[] noise = new byte[r.nextInt(600)];
      r.nextBytes(noise);
      byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[noise.length + marker.length];
      int at = noise.length == 0 ? 0 : r.nextInt(noise.length);
      System.arraycopy(noise, 0, out, 0, at);
      System.arraycopy(marker, 0, out, at, marker.length);
      System.arraycopy(noise, at, out, at + marker.length, noise.length - at);
      return out;
    });
  }

  @Provide
  Arbitrary<Integer> statuses() {
    return Arbitraries.of(200, 200, 200, 201, 400, 404, 413, 429, 500, 503, 529);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(CONTENT_TYPES);
  }

  @Provide
  Arbitrary<Long> sizes() {
    return Arbitraries.of(256L * 1024, 256L * 1024 + 1, 2L * 1024 * 1024);
  }

  private static final String NOISE = "{}[]\",:0-e\\\u00e9\ufeff`";

  private static String mutate(String s, Random r) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && b.length() > 0; i++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(6)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
        case 2 -> b.setLength(at);
        case 3 -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + r.nextInt(12))));
        case 4 -> b.replace(at, Math.min(b.length(), at + 3), "null");
        default -> b.insert(0, r.nextBoolean() ? "```json\n" : "\ufeff");
      }
    }
    return b.toString();
  }

  private static String randomJson(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
    return switch (kind) {
      case 0 -> Long.toString(r.nextLong() % 10_000);
      case 1 -> "\"" + (r.nextBoolean() ? MARKER : "eligible") + "\"";
      case 2 -> r.nextBoolean() ? "true" : "null";
      case 3 -> Double.toString(r.nextGaussian() * 1e6);
      case 4 -> {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
          b.append(i > 0 ? "," : "").append(randomJson(r, depth + 1));
        }
        yield b.append(']').toString();
      }
      default -> {
        String[] names = {"decision", "rotation_window_days", "source_line_ids", MARKER, "value"};
        StringBuilder b = new StringBuilder("{");
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
          b.append(i > 0 ? "," : "").append('"').append(names[r.nextInt(names.length)]).append("\":")
              .append(randomJson(r, depth + 1));
        }
        yield b.append('}').toString();
      }
    };
  }

  /** Event-stream fragments of the provider's wire, shuffled, cut and mixed with garbage. */
  private static byte[] malformedSse(Random r, boolean anthropicWire) {
    String content = "{\\\"decision\\\":\\\"" + MARKER + "\\\"}";
    List<String> pieces = anthropicWire
        ? List.of("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":5}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"name\":\"decide_rotation\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + content + "\"}}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"" + MARKER + "\"}}\n\n",
            "event: ping\ndata: {}\n\n", "data: " + MARKER + "\n\n", ": comment\n", "\r\n", "event: content_block_delta\n",
            "data: {\"type\":\n\n")
        : List.of("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n",
            "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}\n\n",
            "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}\n\n",
            "data: [DONE]\n\n", "data: {\"error\":{\"type\":\"server_error\",\"message\":\"" + MARKER + "\"}}\n\n",
            "data: " + MARKER + "\n\n", ": keep-alive\n\n", "\r\r", "data: {\"choices\":[{\"delta\":{\"content\":5}}]}\n\n",
            "data: {\"choices\":\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = 1 + r.nextInt(10); i < n; i++) {
      String piece = pieces.get(r.nextInt(pieces.size()));
      b.append(r.nextInt(5) == 0 ? piece.substring(0, r.nextInt(piece.length())) : piece);
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
