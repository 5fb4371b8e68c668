package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.Decision;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LenientLlmSimulator;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The call pipeline's extension points, the same interceptors in blocking, async and streamed calls. */
@ExtendWith(LlmSimulatorExtension.class)
class PipelineTest {
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();
  private static final RotationDecision CACHED = new RotationDecision(Decision.ELIGIBLE, 30, List.of("P-7"));
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  PipelineTest(LlmSimulator sim) {
    this.sim = sim;
  }

  private LlmRuntime runtime(Consumer<LlmRuntime.Builder> links) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-pipeline").build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .telemetry(records::add);
    links.accept(b);
    return b.build();
  }

  /** Runs the rotation task in {@code mode}; a stream's events must keep their order. */
  private static LlmResult<RotationDecision> run(Mode mode, LlmRuntime runtime, Invocation<RotationDecision> inv) {
    try {
      return switch (mode) {
        case BLOCKING -> ROTATION.callForResult(runtime, inv);
        case ASYNC -> ROTATION.callForResultAsync(runtime, inv).join();
        case STREAM -> {
          LlmStream<RotationDecision> stream = ROTATION.stream(runtime, inv);
          List<StreamEvent<RotationDecision>> events = new CopyOnWriteArrayList<>();
          stream.onEvent(events::add);
          try {
            yield stream.result().join();
          } finally {
            StreamEventOrder.assertWellFormed(events);
          }
        }
      };
    } catch (CompletionException e) {
      throw (LlmTaskException) e.getCause();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  void aCallInterceptorThatShortCircuitsStillYieldsExactlyOneRecord(Mode mode) {
    List<TaskCall> seen = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = runtime(b -> b.intercept(chain -> {
      seen.add(chain.call());
      chain.attributes().put("cache", "hit");
      return CompletableFuture.completedFuture(Outcome.answered(CACHED));
    }));
    Invocation<RotationDecision> inv = RotationFixture.invocation("trace_cache")
        .idempotencyKey("rotate:acct_10234")
        .options(CallOptions.builder().metadata("tenant", "acme").build());

    LlmResult<RotationDecision> result = run(mode, runtime, inv);

    assertThat(result.value()).isSameAs(CACHED);
    assertThat(records).containsExactly(result.record());
    CallRecord r = result.record();
    assertThat(r.status()).isEqualTo(CallStatus.OK);
    assertThat(r.attempts()).isZero();
    assertThat(r.attemptDetails()).isEmpty();
    assertThat(r.attributes()).containsEntry("cache", "hit");
    assertThat(r.toLogLine()).contains("attr.cache=hit");
    assertThat(sim.requests()).isEmpty();
    TaskCall call = seen.get(0);
    assertThat(call.mode()).isEqualTo(mode);
    assertThat(call.task()).isEqualTo("decide_rotation");
    assertThat(call.promptVersion()).isEqualTo("rotation_decision@2");
    assertThat(call.provider()).isEqualTo("openai");
    assertThat(call.model()).isEqualTo("gpt-4o-mini");
    assertThat(call.traceId()).isEqualTo("trace_cache");
    assertThat(call.idempotencyKey()).isEqualTo("rotate:acct_10234");
    assertThat(call.metadata()).containsEntry("tenant", "acme");
    assertThat(call.toString()).doesNotContain(RotationFixture.QUESTION);
  }

  /** What an exchange interceptor saw of one attempt. */
  record Seen(int attempt, int retryCount, int repairs, Mode mode) {}

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Mode.class, names = {"BLOCKING", "ASYNC"})
  void anExchangeInterceptorSeesEveryRetryAndEveryReAsk(Mode mode) {
    sim.enqueue(SimulatedReply.status(503))
        .enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW))
        .enqueue(SimulatedReply.json(RotationFixture.VALID));
    List<Seen> seen = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = runtime(b -> b.interceptExchanges(chain -> {
      seen.add(new Seen(chain.attempt(), chain.request().retryCount(), chain.request().repairs().size(), chain.call().mode()));
      return chain.proceed(chain.request().withHeader("traceparent", "00-" + chain.call().traceId() + "-01"));
    }));

    LlmResult<RotationDecision> result = run(mode, runtime, RotationFixture.invocation("trace_x"));

    assertThat(seen).containsExactly(new Seen(1, 0, 0, mode), new Seen(2, 1, 0, mode), new Seen(3, 0, 1, mode));
    assertThat(sim.requests()).hasSize(3).allSatisfy(r -> assertThat(r.header("traceparent")).isEqualTo("00-trace_x-01"));
    CallRecord r = result.record();
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.attemptDetails()).extracting(CallRecord.Attempt::outcome)
        .containsExactly(CallStatus.PROVIDER_ERROR, CallStatus.OK, CallStatus.OK);
    assertThat(r.attemptDetails()).allSatisfy(a -> {
      assertThat(a.provider()).isEqualTo("openai");
      assertThat(a.model()).isEqualTo("gpt-4o-mini");
    });
    assertThat(r.requestId()).as("the provider's request id of the answer").startsWith("req_")
        .isEqualTo(r.attemptDetails().get(2).requestId())
        .isNotEqualTo(r.attemptDetails().get(1).requestId());
    assertThat(r.attemptDetails().get(2).outputTokens()).isPositive();
    assertThat(records).containsExactly(r);
  }

  @Test
  void aStreamsExchangeInterceptorSeesTheRetryBeforeItOpensAndNoReAsk() {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(RotationFixture.VALID).withChunkSize(9));
    List<Seen> seen = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = runtime(b -> b.interceptExchanges(chain -> {
      seen.add(new Seen(chain.attempt(), chain.request().retryCount(), chain.request().repairs().size(), chain.call().mode()));
      return chain.proceed(chain.request());
    }));

    LlmResult<RotationDecision> result = run(Mode.STREAM, runtime, RotationFixture.invocation("t"));

    assertThat(seen).containsExactly(new Seen(1, 0, 0, Mode.STREAM), new Seen(2, 1, 0, Mode.STREAM));
    assertThat(result.record().attemptDetails()).extracting(CallRecord.Attempt::outcome)
        .containsExactly(CallStatus.PROVIDER_ERROR, CallStatus.OK);
  }

  static final class Exploding implements CallInterceptor {
    @Override
    public java.util.concurrent.CompletionStage<Outcome> intercept(Chain chain) {
      throw new IllegalStateException("boom with customer text: " + RotationFixture.QUESTION);
    }
  }

  static final class ExplodingExchange implements ExchangeInterceptor {
    @Override
    public java.util.concurrent.CompletionStage<ModelReply> intercept(Chain chain) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(RotationFixture.QUESTION));
    }
  }

  @LenientLlmSimulator // the unused reply is there to be taken if the call wrongly reached the provider
  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  void anInterceptorThatThrowsEndsTheCallWithANamedStatusAndOneRecord(Mode mode) {
    LlmRuntime calls = runtime(b -> b.intercept(new Exploding()));
    assertThatThrownBy(() -> run(mode, calls, RotationFixture.invocation("t"))).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
      assertThat(e.record().failureReason()).contains(Exploding.class.getName(), "IllegalStateException")
          .doesNotContain(RotationFixture.QUESTION);
      assertThat(e.getMessage()).doesNotContain(RotationFixture.QUESTION);
    });
    assertThat(records).hasSize(1);

    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    LlmRuntime exchanges = runtime(b -> b.interceptExchanges(new ExplodingExchange()));
    assertThatThrownBy(() -> run(mode, exchanges, RotationFixture.invocation("t"))).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
      assertThat(e.record().failureReason()).contains(ExplodingExchange.class.getName(), "IllegalArgumentException")
          .doesNotContain(RotationFixture.QUESTION);
      assertThat(e.record().attempts()).as("the interceptor failed before any exchange").isZero();
    });
    assertThat(records).hasSize(2);
    assertThat(sim.requests()).isEmpty();
  }

  @LenientLlmSimulator // the unused reply is there to be taken if the call wrongly reached the provider
  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  void aLinkThatWaitsPastTheDeadlineEndsTimeoutOnTime(Mode mode) {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    LlmRuntime runtime = runtime(b -> b.intercept(chain ->
        chain.delay(Duration.ofSeconds(20)).thenCompose(v -> chain.proceed(chain.call()))));
    Invocation<RotationDecision> inv = RotationFixture.invocation("t")
        .options(CallOptions.builder().timeout(Duration.ofMillis(300)).build());
    long start = System.nanoTime();

    assertThatThrownBy(() -> run(mode, runtime, inv)).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
      assertThat(e.record().failureReason()).contains("within 300 ms");
    });
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isBetween(290L, 2500L);
    assertThat(records).hasSize(1);
    assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt does not leak").isFalse();
    assertThat(sim.requests()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  void aFallbackLinkRoutesToAnotherProviderAndTheRecordNamesWhoAnswered(Mode mode) {
    sim.enqueue(SimulatedReply.status(401)).enqueue(SimulatedReply.json(RotationFixture.VALID));
    LlmRuntime runtime = runtime(b -> b
        .provider("backup", AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-backup").build())
        .intercept(chain -> chain.proceed(chain.call()).thenCompose(o ->
            o instanceof Outcome.Failed f && f.status() == CallStatus.AUTH_ERROR
                ? chain.proceed(chain.call().withProvider("backup").withModel("claude-haiku"))
                : CompletableFuture.completedFuture(o))));

    CallRecord r = run(mode, runtime, RotationFixture.invocation("t")).record();

    assertThat(r.provider()).isEqualTo("backup");
    assertThat(r.model()).isEqualTo("claude-haiku");
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.attemptDetails()).extracting(CallRecord.Attempt::provider).containsExactly("openai", "backup");
    assertThat(r.attemptDetails()).extracting(CallRecord.Attempt::outcome).containsExactly(CallStatus.AUTH_ERROR, CallStatus.OK);
    assertThat(sim.requests().get(1).model()).isEqualTo("claude-haiku");
    assertThat(records).containsExactly(r);
  }

  @Test
  void anExchangeInterceptorMayFailAnAttemptWithAClassifiedFailureThatIsRetried() {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    List<Integer> attempts = new ArrayList<>();
    LlmRuntime runtime = runtime(b -> b.interceptExchanges(chain -> {
      attempts.add(chain.attempt());
      return chain.attempt() == 1
          ? CompletableFuture.failedFuture(new ProviderException(CallStatus.RATE_LIMITED, true, 429, null, "local limit", null))
          : chain.proceed(chain.request());
    }));
    CallRecord r = run(Mode.BLOCKING, runtime, RotationFixture.invocation("t")).record();
    assertThat(attempts).containsExactly(1, 2);
    assertThat(r.attempts()).as("one exchange reached the provider").isEqualTo(1);
    assertThat(sim.requests()).hasSize(1);
  }

  @Test
  void aBlockingCallInsideAnAttemptLeavesTheOuterCallItsOwnRetries() {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID)).enqueue(SimulatedReply.json(RotationFixture.VALID));
    LlmRuntime inner = runtime(b -> { });
    List<CallStatus> innerStatuses = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    LlmRuntime outer = runtime(b -> b.interceptExchanges(chain -> {
      attempts.add(chain.attempt());
      if (chain.attempt() > 1) {
        return chain.proceed(chain.request());
      }
      // a link that makes a blocking call of its own, on the same thread, then fails the attempt retryably
      innerStatuses.add(ROTATION.callForResult(inner, RotationFixture.invocation("trace_inner")).record().status());
      return CompletableFuture.failedFuture(new ProviderException(CallStatus.RATE_LIMITED, true, 429, null, "local limit", null));
    }));

    CallRecord r = run(Mode.BLOCKING, outer, RotationFixture.invocation("trace_outer")).record();

    assertThat(innerStatuses).containsExactly(CallStatus.OK);
    assertThat(attempts).as("the outer call's retry is judged against the outer call, not the ended inner one").containsExactly(1, 2);
    assertThat(r.status()).isEqualTo(CallStatus.OK);
    assertThat(r.traceId()).isEqualTo("trace_outer");
    assertThat(records).hasSize(2);
  }

  @Test
  void anUnknownRouteEndsBadRequestNamingTheSetting() {
    LlmRuntime runtime = runtime(b -> b.intercept(chain -> chain.proceed(chain.call().withProvider("nowhere"))));
    assertThatThrownBy(() -> run(Mode.BLOCKING, runtime, RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.BAD_REQUEST);
          assertThat(e.record().failureReason()).contains("no provider named 'nowhere'", "LlmRuntime.builder().provider(");
        });
  }
}
