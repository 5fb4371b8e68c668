package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LenientLlmSimulator;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Streamed calls against the simulator's SSE, for both providers. */
@ExtendWith(LlmSimulatorExtension.class)
class StreamingTest {
  private static final String VALID = RotationFixture.VALID;
  private static final String DRAFT = "Hello Luna team,\nyour key \"svc-7\" can rotate within 30 days — see P-7. ✓";
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  StreamingTest(LlmSimulator sim) {
    this.sim = sim;
  }

  static Stream<Arguments> providers() {
    Function<LlmSimulator, LlmProvider> openai = s -> OpenAiProvider.builder().baseUrl(s.openAiBaseUrl()).apiKey("sk-test-stream").build();
    Function<LlmSimulator, LlmProvider> anthropic = s -> AnthropicProvider.builder().baseUrl(s.anthropicBaseUrl()).apiKey("sk-ant-stream").build();
    return Stream.of(Arguments.of("openai", openai), Arguments.of("anthropic", anthropic));
  }

  private LlmRuntime runtime(Function<LlmSimulator, LlmProvider> provider) {
    return LlmRuntime.builder()
        .provider(provider.apply(sim))
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .streamIdleTimeout(Duration.ofMillis(400))
        .telemetry(records::add)
        .build();
  }

  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();

  private static final String TEXT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"string\"}},"
      + "\"required\":[\"value\"],\"additionalProperties\":false}";
  private static final TaskSpec<String> DRAFT_REPLY = TaskSpec.builder("draft_reply", OutputDecoder.wrapped(String.class, "value"))
      .promptVersion("draft_reply@1").model("gpt-4o-mini")
      .schema(new OutputSchema("draft_reply", TEXT_SCHEMA, TEXT_SCHEMA)).build();

  private static String wrapped(String text) {
    return "{\"value\":" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(text) + "}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aFullStreamEmitsStartedDeltasAndCompletedWithTheTypedValue(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(7).withUsage(250, 80, 0));

    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("trace_stream"));
    List<StreamEvent<RotationDecision>> events;
    try (Stream<StreamEvent<RotationDecision>> s = stream.events()) {
      events = s.collect(Collectors.toList());
    }

    assertThat(events.get(0)).isInstanceOf(StreamEvent.Started.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Completed.class);
    List<String> deltas = events.stream().filter(e -> e instanceof StreamEvent.Delta).map(e -> ((StreamEvent.Delta<?>) e).text()).toList();
    assertThat(deltas).hasSizeGreaterThan(3);
    assertThat(String.join("", deltas)).isEqualTo(VALID);
    RotationDecision d = stream.await();
    assertThat(d.rotationWindowDays()).isEqualTo(30);
    assertThat(stream.state()).isEqualTo(LlmStream.State.COMPLETED);
    CallRecord r = ((StreamEvent.Completed<RotationDecision>) events.get(events.size() - 1)).result().record();
    assertThat(r.status()).isEqualTo(CallStatus.OK);
    assertThat(r.provider()).isEqualTo(name);
    assertThat(r.inputTokens()).isGreaterThanOrEqualTo(250);
    assertThat(r.outputTokens()).isEqualTo(80);
    assertThat(records).containsExactly(r);
    assertThat(sim.requests().get(0).json().path("stream").asBoolean()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aTextTaskStreamsProseNotJson(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(wrapped(DRAFT)).withChunkSize(5));
    StringBuilder shown = new StringBuilder();

    LlmStream<String> stream = DRAFT_REPLY.stream(runtime(provider), Invocation.of(null, "draft a reply"));
    stream.onEvent(e -> {
      if (e instanceof StreamEvent.Delta<String> d) {
        shown.append(d.text());
      }
    });

    assertThat(stream.await()).isEqualTo(DRAFT);
    assertThat(shown.toString()).isEqualTo(DRAFT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aTextTaskScriptedWithPlainTextStreamsThatText(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(DRAFT).withChunkSize(5));
    StringBuilder shown = new StringBuilder();
    LlmStream<String> stream = DRAFT_REPLY.stream(runtime(provider), Invocation.of("Draft a reply.", "Ticket 7"));
    stream.onEvent(e -> {
      if (e instanceof StreamEvent.Delta<String> d) {
        shown.append(d.text());
      }
    });
    assertThat(stream.await()).isEqualTo(DRAFT);
    assertThat(shown.toString()).isEqualTo(DRAFT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aTextTaskScriptedWithAJsonStringLiteralStreamsItsContentNotItsQuotes(String name,
      Function<LlmSimulator, LlmProvider> provider) throws Exception {
    String literal = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(DRAFT);
    sim.enqueue(SimulatedReply.json(literal).withChunkSize(5));
    List<String> deltas = new java.util.concurrent.CopyOnWriteArrayList<>();
    LlmStream<String> stream = DRAFT_REPLY.stream(runtime(provider), Invocation.of("Draft a reply.", "Ticket 7"));
    stream.onEvent(e -> {
      if (e instanceof StreamEvent.Delta<String> d) {
        deltas.add(d.text());
      }
    });
    assertThat(stream.await()).isEqualTo(DRAFT);
    assertThat(deltas).hasSizeGreaterThan(1);
    assertThat(String.join("", deltas)).isEqualTo(DRAFT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aStreamRecordsWhenItsFirstDeltaReachedTheCallerAndABlockingCallDoesNot(String name,
      Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(5).withDelay(Duration.ofMillis(30)));
    ROTATION.stream(runtime(provider), RotationFixture.invocation("t")).await();
    sim.enqueue(SimulatedReply.json(VALID));
    ROTATION.call(runtime(provider), RotationFixture.invocation("t"));

    assertThat(records).hasSize(2);
    String firstDelta = records.get(0).attributes().get(CallRecord.FIRST_DELTA_MS);
    assertThat(firstDelta).as("the streamed call's attributes").isNotNull();
    assertThat(Long.parseLong(firstDelta)).isBetween(30L, records.get(0).latencyMs());
    assertThat(records.get(0).toLogLine()).contains(" attr.first_delta_ms=" + firstDelta);
    assertThat(records.get(1).attributes()).doesNotContainKey(CallRecord.FIRST_DELTA_MS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theReplyNamesTheResponseAndTheModelThatAnsweredStreamedOrNot(String name, Function<LlmSimulator, LlmProvider> provider) {
    List<dev.llmtask.provider.ModelReply> replies = new CopyOnWriteArrayList<>();
    LlmRuntime rt = LlmRuntime.builder()
        .provider(provider.apply(sim))
        .interceptExchanges(chain -> chain.proceed(chain.request()).thenApply(reply -> {
          replies.add(reply);
          return reply;
        }))
        .build();
    sim.enqueue(SimulatedReply.json(VALID));
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(9));
    ROTATION.call(rt, RotationFixture.invocation("t"));
    ROTATION.stream(rt, RotationFixture.invocation("t")).await();

    String idPrefix = name.equals("openai") ? "chatcmpl-" : "msg_01";
    assertThat(replies).hasSize(2).allSatisfy(reply -> {
      assertThat(reply.responseId()).startsWith(idPrefix);
      assertThat(reply.responseModel()).isEqualTo("gpt-4o-mini");
    });
    assertThat(replies.get(0).responseId()).isNotEqualTo(replies.get(1).responseId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aStreamCutMidwayFailsAsAProviderError(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.cutStream(VALID, 3).withChunkSize(5));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));

    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
      assertThat(e.record().failureReason()).contains("stream cut");
      assertThat(e.record().attempts()).isEqualTo(1);
    });
    assertThat(stream.state()).isEqualTo(LlmStream.State.FAILED);
    assertThat(records).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aStreamCutBeforeUsageArrivesRecordsAnEstimateFlaggedAsEstimated(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.cutStream(VALID, 3).withChunkSize(5));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));
    StringBuilder delivered = new StringBuilder();
    stream.onEvent(e -> {
      if (e instanceof StreamEvent.Delta<RotationDecision> d) {
        delivered.append(d.text());
      }
    });
    assertThatThrownBy(stream::await).isInstanceOf(LlmTaskException.class);

    CallRecord r = records.get(0);
    var inv = RotationFixture.invocation("t");
    long promptChars = inv.systemPrompt().length() + inv.userPrompt().length();
    assertThat(delivered).isNotEmpty();
    assertThat(r.usageEstimated()).isTrue();
    assertThat(r.outputTokens()).isEqualTo((delivered.length() + 3) / 4);
    assertThat(r.inputTokens()).isEqualTo((promptChars + 3) / 4);
    assertThat(r.toLogLine()).contains(" usage_estimated=true");

    records.clear();
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(7).withUsage(250, 80, 0));
    ROTATION.stream(runtime(provider), RotationFixture.invocation("t")).await();
    assertThat(records).singleElement().satisfies(full -> {
      assertThat(full.usageEstimated()).isFalse();
      assertThat(full.outputTokens()).isEqualTo(80);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aStalledStreamEndsTimeoutAfterTheIdleTimeout(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.stalledStream(VALID, 2, Duration.ofSeconds(10)).withChunkSize(5));
    long start = System.nanoTime();
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));

    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
      assertThat(e.record().failureReason()).contains("stalled");
    });
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isBetween(400L, 3000L);
    assertThat(stream.events().reduce((a, b) -> b).orElseThrow()).isInstanceOf(StreamEvent.Failed.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aStreamThatKeepsTalkingPastTheDeadlineEndsTimeout(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(2).withChunkDelay(Duration.ofMillis(50)));
    var invocation = RotationFixture.invocation("t")
        .options(dev.llmtask.CallOptions.builder().timeout(Duration.ofMillis(600)).build());
    long start = System.nanoTime();
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), invocation);

    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
      assertThat(e.record().failureReason()).contains("within 600 ms").doesNotContain("stalled");
    });
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(550L, 1500L);
    assertThat(stream.state()).isEqualTo(LlmStream.State.FAILED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void cancellingMidStreamClosesTheConnectionAndEndsCancelled(String name, Function<LlmSimulator, LlmProvider> provider) throws Exception {
    // chunks far apart: a cancel that waited for the next chunk would take over a second
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(4).withChunkDelay(Duration.ofMillis(1_500)));
    int closedBefore = sim.closedStreams();
    LlmRuntime patient = LlmRuntime.builder() // an idle timeout longer than the chunks' gap
        .provider(provider.apply(sim)).streamIdleTimeout(Duration.ofSeconds(5)).telemetry(records::add).build();
    LlmStream<RotationDecision> stream = ROTATION.stream(patient, RotationFixture.invocation("t"));
    List<StreamEvent<RotationDecision>> seen = new CopyOnWriteArrayList<>();
    stream.onEvent(seen::add);
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.stream().noneMatch(e -> e instanceof StreamEvent.Delta) && System.nanoTime() < waitUntil) {
      Thread.sleep(5);
    }

    long t0 = System.nanoTime();
    stream.cancel();
    long cancelMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertThat(cancelMs).as("cancel returns without waiting for the next chunk").isLessThan(750);
    assertThat(stream.state()).isEqualTo(LlmStream.State.CANCELLED);
    assertThat(seen.get(seen.size() - 1)).isInstanceOf(StreamEvent.Cancelled.class);
    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class,
        e -> assertThat(e.status()).isEqualTo(CallStatus.CANCELLED));
    assertThat(records).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.CANCELLED);
    // the server notices the close when its next chunk's write fails, up to a chunk gap later; a loaded
    // machine can add seconds to that, so this bound is wide (the loop ends as soon as the close is seen)
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sim.closedStreams() == closedBefore && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(sim.closedStreams()).as("the server saw the connection closed").isGreaterThan(closedBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void anErrorEventMidStreamFailsWithItsStatus(String name, Function<LlmSimulator, LlmProvider> provider) {
    String type = name.equals("anthropic") ? "overloaded_error" : "server_error";
    sim.enqueue(SimulatedReply.streamError(VALID, 2, type).withChunkSize(5));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));
    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
      assertThat(e.record().attempts()).isEqualTo(1);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void anErrorBeforeTheStreamStartsIsRetriedLikeAPlainCall(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(VALID));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));
    assertThat(stream.await().rotationWindowDays()).isEqualTo(30);
    assertThat(records).singleElement().extracting(CallRecord::attempts).isEqualTo(2);
  }

  @LenientLlmSimulator // the unused reply is there to be taken if the stream were wrongly re-asked
  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void anInvalidFinalAnswerFailsInvalidOutputWithoutAReAsk(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW)).enqueue(SimulatedReply.json(VALID));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));
    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
      assertThat(e.record().failureReason()).contains("no re-ask", "windowMatchesPolicy");
    });
    assertThat(sim.requests()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theFlowPublisherHonoursDemandAndALateSubscriberGetsTheWholeHistory(String name, Function<LlmSimulator, LlmProvider> provider) {
    sim.enqueue(SimulatedReply.json(VALID).withChunkSize(10));
    LlmStream<RotationDecision> stream = ROTATION.stream(runtime(provider), RotationFixture.invocation("t"));
    stream.await();

    List<StreamEvent<RotationDecision>> got = new ArrayList<>();
    boolean[] completed = new boolean[1];
    stream.publisher().subscribe(new Flow.Subscriber<>() {
      private Flow.Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        this.s = s;
        s.request(1);
      }

      @Override
      public void onNext(StreamEvent<RotationDecision> item) {
        got.add(item);
        s.request(1);
      }

      @Override
      public void onError(Throwable t) {
        throw new AssertionError(t);
      }

      @Override
      public void onComplete() {
        completed[0] = true;
      }
    });
    assertThat(completed[0]).isTrue();
    assertThat(got.get(0)).isInstanceOf(StreamEvent.Started.class);
    assertThat(got.get(got.size() - 1)).isInstanceOf(StreamEvent.Completed.class);
    assertThat(got.stream().filter(e -> e instanceof StreamEvent.Delta).map(e -> ((StreamEvent.Delta<?>) e).text())
        .collect(Collectors.joining())).isEqualTo(VALID);
  }
}
