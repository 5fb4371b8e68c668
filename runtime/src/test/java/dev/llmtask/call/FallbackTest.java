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
import dev.llmtask.RateCard;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.TaskCall.Mode;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import dev.llmtask.testkit.SimulatedReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import dev.llmtask.testkit.junit.LenientLlmSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fallback across two providers on one loopback simulator (OpenAI and Anthropic wire formats): each
 * trigger moves the call to the next route, each non-trigger does not; quota at once, a context too
 * long to a larger route, open circuits, streams, the one deadline, and what the record says.
 */
@ExtendWith(LlmSimulatorExtension.class)
@LenientLlmSimulator // a case that must not fall back leaves the second provider's reply unused
class FallbackTest {
  static final String BACKUP = "anthropic/claude-3-5-haiku-latest";
  private static final TaskSpec<RotationDecision> ROUTED = RotationFixture.spec().fallbacks(BACKUP).build();
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  FallbackTest(LlmSimulator sim) { // shared by the class, reset after each test
    this.sim = sim;
  }

  private LlmRuntime runtime(Consumer<LlmRuntime.Builder> more) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-routes").build())
        .provider("anthropic", AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .telemetry(records::add);
    more.accept(b);
    return b.build();
  }

  private LlmRuntime runtime() {
    return runtime(b -> { });
  }

  private static SimulatedReply valid() {
    return SimulatedReply.json(RotationFixture.VALID);
  }

  private static SimulatedReply[] times(int n, Supplier<SimulatedReply> reply) {
    SimulatedReply[] out = new SimulatedReply[n];
    for (int i = 0; i < n; i++) {
      out[i] = reply.get();
    }
    return out;
  }

  private static LlmResult<RotationDecision> run(Mode mode, TaskSpec<RotationDecision> spec, LlmRuntime runtime,
      Invocation<RotationDecision> inv) {
    try {
      return switch (mode) {
        case BLOCKING -> spec.callForResult(runtime, inv);
        case ASYNC -> spec.callForResultAsync(runtime, inv).join();
        case STREAM -> spec.stream(runtime, inv).result().join();
      };
    } catch (CompletionException e) {
      throw (LlmTaskException) e.getCause();
    }
  }

  private static LlmTaskException failure(Runnable call) {
    try {
      call.run();
    } catch (LlmTaskException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  private static List<String> routes(CallRecord r) {
    return r.attemptDetails().stream().map(CallRecord.Attempt::route).collect(Collectors.toList());
  }

  /** What the first route (OpenAI) answers, and whether the call must then move to the second (Anthropic). */
  enum Fault {
    PROVIDER_ERROR_AFTER_RETRIES(CallStatus.PROVIDER_ERROR, 3, true, () -> times(3, () -> SimulatedReply.status(503))),
    RATE_LIMITED_AFTER_RETRIES(CallStatus.RATE_LIMITED, 3, true, () -> times(3, SimulatedReply::rateLimited)),
    ATTEMPT_TIMEOUT(CallStatus.TIMEOUT, 1, true, () -> times(1, () -> valid().withDelay(Duration.ofSeconds(2)))),
    QUOTA_EXHAUSTED_AT_ONCE(CallStatus.QUOTA_EXHAUSTED, 1, true, () -> times(1, SimulatedReply::quotaExhausted)),
    CONTEXT_TOO_LONG(CallStatus.CONTEXT_TOO_LONG, 1, true, () -> times(1, SimulatedReply::contextTooLong)),
    REFUSED_WHEN_ASKED(CallStatus.REFUSED, 1, true, () -> times(1, () -> SimulatedReply.refusal("I can't help."))),
    INVALID_OUTPUT_WHEN_ASKED(CallStatus.INVALID_OUTPUT, 2, true,
        () -> times(2, () -> SimulatedReply.json(RotationFixture.WRONG_WINDOW))),
    AUTH_ERROR(CallStatus.AUTH_ERROR, 1, false, () -> times(1, () -> SimulatedReply.status(401))),
    BAD_REQUEST(CallStatus.BAD_REQUEST, 1, false, () -> times(1, () -> SimulatedReply.status(400))),
    REFUSED_BY_DEFAULT(CallStatus.REFUSED, 1, false, () -> times(1, () -> SimulatedReply.refusal("I can't help."))),
    INVALID_OUTPUT_BY_DEFAULT(CallStatus.INVALID_OUTPUT, 2, false,
        () -> times(2, () -> SimulatedReply.json(RotationFixture.WRONG_WINDOW)));

    final CallStatus status;
    final int firstRouteRequests;
    final boolean fallsBack;
    final Supplier<SimulatedReply[]> replies;

    Fault(CallStatus status, int firstRouteRequests, boolean fallsBack, Supplier<SimulatedReply[]> replies) {
      this.status = status;
      this.firstRouteRequests = firstRouteRequests;
      this.fallsBack = fallsBack;
      this.replies = replies;
    }

    CallOptions options() {
      CallOptions.Builder b = CallOptions.builder();
      if (this == ATTEMPT_TIMEOUT) {
        b.attemptTimeout(Duration.ofMillis(200)).maxRetries(0);
      }
      if (name().endsWith("WHEN_ASKED")) {
        b.fallbackOn(CallStatus.PROVIDER_ERROR, CallStatus.TIMEOUT, CallStatus.RATE_LIMITED, CallStatus.QUOTA_EXHAUSTED,
            CallStatus.CONTEXT_TOO_LONG, CallStatus.REFUSED, CallStatus.INVALID_OUTPUT);
      }
      return b.build();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Fault.class)
  void eachTriggerFallsBackAndEachNonTriggerDoesNot(Fault fault) {
    for (Mode mode : List.of(Mode.BLOCKING, Mode.ASYNC)) {
      sim.reset();
      records.clear();
      sim.enqueueFor("openai", fault.replies.get()).enqueueFor("anthropic", valid());
      LlmRuntime runtime = runtime();
      Invocation<RotationDecision> inv = RotationFixture.invocation("trace_" + fault).options(fault.options());

      if (fault.fallsBack) {
        CallRecord r = run(mode, ROUTED, runtime, inv).record();
        assertThat(r.status()).as(mode.name()).isEqualTo(CallStatus.OK);
        assertThat(r.provider() + "/" + r.model()).isEqualTo(BACKUP);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < fault.firstRouteRequests; i++) {
          expected.add("openai/gpt-4o-mini");
        }
        expected.add(BACKUP);
        assertThat(routes(r)).as(mode.name()).isEqualTo(expected);
        assertThat(r.attempts()).isEqualTo(fault.firstRouteRequests + 1);
        assertThat(r.attributes()).containsEntry("routes",
            "openai/gpt-4o-mini=" + fault.status.wireName() + "," + BACKUP + "=ok");
        assertThat(sim.requestsTo("anthropic")).hasSize(1);
      } else {
        LlmTaskException e = failure(() -> run(mode, ROUTED, runtime, inv));
        assertThat(e.status()).as(mode.name()).isEqualTo(fault.status);
        assertThat(routes(e.record())).containsOnly("openai/gpt-4o-mini");
        assertThat(e.record().attributes()).doesNotContainKey("routes");
        assertThat(sim.requestsTo("anthropic")).as("never falls back on " + fault.status).isEmpty();
      }
      assertThat(sim.requestsTo("openai")).hasSize(fault.firstRouteRequests);
      assertThat(records).hasSize(1);
    }
  }

  @Test
  void theAnthropicRouteGetsItsOwnDialectAndEveryAttemptIsPricedOnItsModel() {
    sim.enqueueFor("openai", SimulatedReply.json(RotationFixture.WRONG_WINDOW).withUsage(1000, 100, 0))
        .enqueueFor("anthropic", valid().withUsage(2000, 200, 0));
    RateCard card = RateCard.builder()
        .model("gpt-4o-mini", new BigDecimal("1"), new BigDecimal("0.5"), new BigDecimal("2"))
        .model("claude-3-5-haiku-latest", new BigDecimal("3"), new BigDecimal("0.3"), new BigDecimal("10"))
        .build();
    LlmRuntime runtime = runtime(b -> b.rateCard(card));
    Invocation<RotationDecision> inv = RotationFixture.invocation("trace_cost").options(CallOptions.builder()
        .repairs(0).fallbackOn(CallStatus.INVALID_OUTPUT).build());

    CallRecord r = ROUTED.callForResult(runtime, inv).record();

    assertThat(r.attemptDetails()).extracting(CallRecord.Attempt::costUsd)
        .containsExactly(new BigDecimal("0.0012"), new BigDecimal("0.008"));
    assertThat(r.costUsd()).isEqualByComparingTo("0.0092");
    assertThat(r.inputTokens()).isEqualTo(3000);
    RecordedRequest anthropic = sim.requestsTo("anthropic").get(0);
    assertThat(anthropic.json().path("tools").path(0).path("input_schema").isObject()).isTrue();
    assertThat(anthropic.model()).isEqualTo("claude-3-5-haiku-latest");
    assertThat(sim.requestsTo("openai").get(0).json().path("response_format").path("type").asText()).isEqualTo("json_schema");
  }

  @Test
  void aContextTooLongPicksTheNextRouteWithALargerContext() {
    TaskSpec<RotationDecision> spec = RotationFixture.spec()
        .fallbacks("anthropic/claude-small", "anthropic/claude-large").build();
    sim.enqueueFor("openai", SimulatedReply.contextTooLong()).enqueueFor("anthropic", valid());
    LlmRuntime runtime = runtime(b -> b.contextWindow("gpt-4o-mini", 128_000)
        .contextWindow("claude-small", 100_000).contextWindow("claude-large", 1_000_000));

    CallRecord r = spec.callForResult(runtime, RotationFixture.invocation("trace_ctx")).record();

    assertThat(r.model()).isEqualTo("claude-large");
    assertThat(routes(r)).containsExactly("openai/gpt-4o-mini", "anthropic/claude-large");
    assertThat(r.attributes().get("routes")).isEqualTo(
        "openai/gpt-4o-mini=context_too_long,anthropic/claude-small=too_small,anthropic/claude-large=ok");
    assertThat(sim.requestsTo("anthropic")).extracting(RecordedRequest::model).containsExactly("claude-large");
  }

  @Test
  void thePreCallCheckSkipsARouteWhoseWindowCannotFitThePromptAndFailsWhenNoneCan() {
    sim.enqueueFor("anthropic", valid());
    LlmRuntime small = runtime(b -> b.contextWindow("gpt-4o-mini", 50));

    CallRecord r = ROUTED.callForResult(small, RotationFixture.invocation("trace_pre")).record();

    assertThat(routes(r)).containsExactly(BACKUP);
    assertThat(r.attributes()).containsEntry("routes", "openai/gpt-4o-mini=too_small," + BACKUP + "=ok");
    assertThat(sim.requestsTo("openai")).isEmpty();

    sim.reset();
    LlmRuntime none = runtime(b -> b.contextWindow("gpt-4o-mini", 50).contextWindow("claude-3-5-haiku-latest", 60));
    LlmTaskException e = failure(() -> ROUTED.callForResult(none, RotationFixture.invocation("trace_pre2")));
    assertThat(e.status()).isEqualTo(CallStatus.CONTEXT_TOO_LONG);
    assertThat(e.record().failureReason()).startsWith("the prompt (about ").contains("fits no route's known context window");
    assertThat(e.record().attempts()).isZero();
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void anOpenCircuitIsSkippedAndProbedAfterItsCooldown() throws InterruptedException {
    LlmRuntime runtime = runtime(b -> b.circuitBreaker(2, Duration.ofMillis(1000)));
    CallOptions noRetry = CallOptions.builder().maxRetries(0).build();
    for (int i = 0; i < 2; i++) {
      sim.enqueueFor("openai", SimulatedReply.status(503)).enqueueFor("anthropic", valid());
      assertThat(ROUTED.callForResult(runtime, RotationFixture.invocation("t" + i).options(noRetry)).record().model())
          .isEqualTo("claude-3-5-haiku-latest");
    }
    assertThat(sim.requestsTo("openai")).hasSize(2);

    sim.enqueueFor("anthropic", valid());
    CallRecord skipped = ROUTED.callForResult(runtime, RotationFixture.invocation("t_open").options(noRetry)).record();
    assertThat(routes(skipped)).containsExactly(BACKUP);
    assertThat(skipped.attributes()).containsEntry("routes", "openai/gpt-4o-mini=circuit_open," + BACKUP + "=ok");
    assertThat(sim.requestsTo("openai")).as("the open route got no request").hasSize(2);

    Thread.sleep(1100); // the cooldown passes: the next call is the probe
    sim.enqueueFor("openai", valid());
    CallRecord probe = ROUTED.callForResult(runtime, RotationFixture.invocation("t_probe").options(noRetry)).record();
    assertThat(routes(probe)).containsExactly("openai/gpt-4o-mini");
    assertThat(probe.attributes()).doesNotContainKey("routes");

    sim.enqueueFor("openai", valid());
    assertThat(routes(ROUTED.callForResult(runtime, RotationFixture.invocation("t_closed")).record()))
        .as("the probe's success closed the circuit").containsExactly("openai/gpt-4o-mini");
  }

  @Test
  void anExhaustedQuotaOpensTheRouteAtOnceAndEveryOpenRouteEndsTheCallWithoutARequest() {
    LlmRuntime runtime = runtime(b -> b.circuitBreaker(5, Duration.ofSeconds(30)));
    sim.enqueueFor("openai", SimulatedReply.quotaExhausted()).enqueueFor("anthropic", SimulatedReply.quotaExhausted());
    LlmTaskException first = failure(() -> ROUTED.callForResult(runtime, RotationFixture.invocation("q1")));
    assertThat(first.status()).isEqualTo(CallStatus.QUOTA_EXHAUSTED);
    assertThat(first.record().failureReason()).startsWith("every route failed (openai/gpt-4o-mini=quota_exhausted,"
        + BACKUP + "=quota_exhausted); the last: HTTP 429");

    LlmTaskException second = failure(() -> ROUTED.callForResult(runtime, RotationFixture.invocation("q2")));
    assertThat(second.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(second.record().failureReason())
        .startsWith("no route can take the call (openai/gpt-4o-mini=circuit_open," + BACKUP + "=circuit_open)")
        .contains("circuits open after repeated failures: openai/gpt-4o-mini for ");
    assertThat(second.record().attempts()).isZero();
    assertThat(sim.requests()).hasSize(2);
  }

  @Test
  void aStreamThatFailsBeforeItsFirstDeltaRestartsOnTheNextRoute() {
    sim.enqueueFor("openai", SimulatedReply.streamError(RotationFixture.VALID, 0, "server_error"))
        .enqueueFor("anthropic", valid().withChunkSize(8));
    LlmStream<RotationDecision> stream = ROUTED.stream(runtime(), RotationFixture.invocation("trace_stream"));
    List<StreamEvent<RotationDecision>> events = new CopyOnWriteArrayList<>();
    stream.onEvent(events::add);

    LlmResult<RotationDecision> result = stream.result().join();

    StreamEventOrder.assertWellFormed(events);
    String shown = events.stream().filter(e -> e instanceof StreamEvent.Delta<?>)
        .map(e -> ((StreamEvent.Delta<?>) e).text()).collect(Collectors.joining());
    assertThat(shown).isEqualTo(RotationFixture.VALID);
    assertThat(routes(result.record())).containsExactly("openai/gpt-4o-mini", BACKUP);
    assertThat(result.record().attemptDetails().get(0).outcome()).isEqualTo(CallStatus.PROVIDER_ERROR);
  }

  @Test
  void aStreamThatFailsAfterItsFirstDeltaDoesNotFallBack() {
    sim.enqueueFor("openai", SimulatedReply.cutStream(RotationFixture.VALID, 2).withChunkSize(8))
        .enqueueFor("anthropic", valid());
    LlmStream<RotationDecision> stream = ROUTED.stream(runtime(), RotationFixture.invocation("trace_cut"));
    List<StreamEvent<RotationDecision>> events = new CopyOnWriteArrayList<>();
    stream.onEvent(events::add);

    LlmTaskException cut = failure(stream::await);

    assertThat(cut.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    StreamEventOrder.assertWellFormed(events);
    assertThat(events).anyMatch(ev -> ev instanceof StreamEvent.Delta<?>);
    assertThat(routes(cut.record())).containsExactly("openai/gpt-4o-mini");
    assertThat(sim.requestsTo("anthropic")).as("a partial answer is never continued on another model").isEmpty();
  }

  @Test
  void theDeadlineHoldsAcrossTheChainAndNoRouteStartsPastIt() {
    TaskSpec<RotationDecision> spec = RotationFixture.spec().fallbacks(BACKUP, "openai/gpt-4.1").build();
    LlmRuntime runtime = runtime();
    // warm both connections up first (a context too long falls back and leaves the circuits closed)
    sim.enqueueFor("openai", SimulatedReply.contextTooLong()).enqueueFor("anthropic", valid());
    assertThat(spec.callForResult(runtime, RotationFixture.invocation("warm_up")).record().provider()).isEqualTo("anthropic");
    sim.reset();
    sim.enqueueFor("openai", SimulatedReply.status(503), valid())
        .enqueueFor("anthropic", valid().withDelay(Duration.ofSeconds(4)));
    // the first route fails at once; the second gets what is left of the 1500 ms, not a fresh timeout
    Invocation<RotationDecision> inv = RotationFixture.invocation("trace_deadline").options(CallOptions.builder()
        .timeout(Duration.ofMillis(1500)).maxRetries(0).build());

    LlmTaskException e = failure(() -> spec.callForResult(runtime, inv));

    assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
    assertThat(e.record().failureReason()).startsWith("no valid answer within 1500 ms");
    assertThat(routes(e.record())).containsExactly("openai/gpt-4o-mini", BACKUP);
    assertThat(e.record().latencyMs()).isLessThan(3500);
    assertThat(sim.requests()).as("the third route never starts")
        .extracting(RecordedRequest::model).containsExactly("gpt-4o-mini", "claude-3-5-haiku-latest");
  }

  @Test
  void perTaskOptionsReplaceTheDeclaredRoutes() {
    sim.enqueueFor("openai", SimulatedReply.status(503), SimulatedReply.status(503), SimulatedReply.status(503), valid());
    LlmRuntime runtime = runtime(b -> b.taskOptions("decide_rotation", CallOptions.builder()
        .fallbacks("openai/gpt-4.1").build()));

    CallRecord r = ROUTED.callForResult(runtime, RotationFixture.invocation("trace_task")).record();

    assertThat(r.provider() + "/" + r.model()).isEqualTo("openai/gpt-4.1");
    assertThat(sim.requestsTo("anthropic")).isEmpty();
  }

  @Test
  void aRouteNamingAnUnregisteredProviderFailsWhenTheTaskIsWiredNotAtItsFirstCall() {
    TaskSpec<RotationDecision> spec = RotationFixture.spec().fallbacks("mistral/mistral-large-latest").build();
    assertThatThrownBy(() -> spec.checkRoutes(runtime()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.llmtask.call.RotationDesk#decideRotation")
        .hasMessageContaining("the route mistral/mistral-large-latest names no provider registered with this runtime")
        .hasMessageContaining("LlmRuntime.builder().provider(\"mistral\", …)");
    ROUTED.checkRoutes(runtime()); // both providers are there

    assertThatThrownBy(() -> runtime(b -> b.taskOptions("decide_rotation",
        CallOptions.builder().fallbacks("mistral/large").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskOptions(\"decide_rotation\", …) fallback mistral/large: no provider named 'mistral'");
    assertThatThrownBy(() -> CallOptions.builder().fallbacks("claude-3-5-haiku-latest"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be written provider/model");
    assertThatThrownBy(() -> CallOptions.builder().fallbackOn(CallStatus.AUTH_ERROR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot include AUTH_ERROR");
    assertThat(sim.requests()).isEmpty();
  }
}
