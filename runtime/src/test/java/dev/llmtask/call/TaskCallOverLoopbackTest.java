package dev.llmtask.call;

import static dev.llmtask.call.RotationFixture.OUT_OF_RANGE;
import static dev.llmtask.call.RotationFixture.VALID;
import static dev.llmtask.call.RotationFixture.WRONG_WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.RateCard;
import dev.llmtask.call.RotationFixture.Decision;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import dev.llmtask.testkit.SimulatedReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole call pipeline against the simulator over real loopback HTTP. */
class TaskCallOverLoopbackTest {
  private static final String API_KEY = "sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  private LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private LlmRuntime.Builder runtime() {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(API_KEY).build())
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .rateCard(RateCard.illustrative())
        .telemetry(records::add);
  }

  private static final TaskSpec<RotationDecision> SPEC = RotationFixture.spec().build();

  @Test
  void happyPathReturnsTheTypedRecordAndOneOkRecord() {
    sim.enqueue("decide_rotation", SimulatedReply.json(VALID).withUsage(250, 80, 0));

    LlmResult<RotationDecision> result = SPEC.callForResult(runtime().build(), RotationFixture.invocation("trace_acct_10234_01"));

    assertThat(result.value()).isEqualTo(new RotationDecision(Decision.ELIGIBLE, 30, List.of("P-7")));
    CallRecord r = result.record();
    assertThat(r.status()).isEqualTo(CallStatus.OK);
    assertThat(r.traceId()).isEqualTo("trace_acct_10234_01");
    assertThat(r.task()).isEqualTo("decide_rotation");
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.model()).isEqualTo("gpt-4o-mini");
    assertThat(r.promptVersion()).isEqualTo("rotation_decision@2");
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.inputTokens()).isEqualTo(250);
    assertThat(r.outputTokens()).isEqualTo(80);
    assertThat(r.costUsd()).isEqualByComparingTo(new BigDecimal("0.00098"));
    assertThat(r.failureReason()).isNull();
    assertThat(records).containsExactly(r);
  }

  @Test
  void sendsAStrictJsonSchemaRequestWithTheKeyOnlyInTheHeader() {
    sim.enqueue(SimulatedReply.json(VALID));
    SPEC.call(runtime().build(), RotationFixture.invocation("t1"));

    RecordedRequest req = sim.requests().get(0);
    assertThat(req.path()).isEqualTo("/v1/chat/completions");
    assertThat(req.header("authorization")).isEqualTo(RecordedRequest.REDACTED);
    assertThat(req.json().path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(req.json().at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(req.json().at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(req.json().at("/response_format/json_schema/name").asText()).isEqualTo("decide_rotation");
    assertThat(req.json().at("/response_format/json_schema/schema/additionalProperties").asBoolean(true)).isFalse();
    assertThat(req.json().at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(req.json().at("/messages/1/content").asText()).isEqualTo(RotationFixture.QUESTION);
    assertThat(req.body()).doesNotContain(API_KEY);
  }

  @Test
  void defaultAnswerFromTheSimulatorIsSchemaValidAndDecodes() {
    RotationDecision d = TaskSpec.builder("decide_rotation", SPEC.decoder())
        .promptVersion("rotation_decision@2").model("gpt-4o-mini").schema(SPEC.schema()).build()
        .call(runtime().build(), dev.llmtask.codegen.Invocation.of(null, "question"));
    assertThat(d.decision()).isNotNull();
    assertThat(d.rotationWindowDays()).isBetween(0, 365);
    assertThat(d.sourceLineIds()).isNotEmpty();
  }

  @Test
  void a503ThenSuccessTakesTwoAttempts() {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(VALID));

    LlmResult<RotationDecision> result = SPEC.callForResult(runtime().build(), RotationFixture.invocation("t"));

    assertThat(result.record().attempts()).isEqualTo(2);
    assertThat(result.record().status()).isEqualTo(CallStatus.OK);
    assertThat(sim.requests()).hasSize(2);
  }

  @Test
  void unauthorizedIsAnAuthErrorAfterOneAttempt() {
    sim.enqueue(SimulatedReply.status(401));

    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.AUTH_ERROR);
          assertThat(e.record().attempts()).isEqualTo(1);
          assertThat(e.getMessage()).contains("decide_rotation", "AUTH_ERROR", "HTTP 401").doesNotContain(API_KEY);
        });
    assertThat(sim.requests()).hasSize(1);
    assertThat(records).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.AUTH_ERROR);
  }

  @Test
  void badRequestIsNotRetried() {
    sim.enqueue(SimulatedReply.status(400));
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> assertThat(e.status()).isEqualTo(CallStatus.BAD_REQUEST));
    assertThat(sim.requests()).hasSize(1);
  }

  @Test
  void exhaustedQuotaIsNotARateLimitAndIsNotRetried() {
    sim.enqueue(SimulatedReply.quotaExhausted());
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.QUOTA_EXHAUSTED);
          assertThat(e.record().attempts()).isEqualTo(1);
        });
    assertThat(sim.requests()).hasSize(1);
  }

  @Test
  void rateLimitedUntilTheRetryBudgetRunsOutEndsRateLimited() {
    for (int i = 0; i < 3; i++) {
      sim.enqueue(SimulatedReply.rateLimited());
    }
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.RATE_LIMITED);
          assertThat(e.record().attempts()).isEqualTo(3); // 1 + maxRetries(2)
        });
    assertThat(sim.requests()).hasSize(3);
  }

  @Test
  void retryAfterMsIsHonoured() {
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "400")).enqueue(SimulatedReply.json(VALID));

    SPEC.call(runtime().build(), RotationFixture.invocation("t"));

    List<RecordedRequest> reqs = sim.requests();
    assertThat(reqs.get(1).millisSince(reqs.get(0))).isGreaterThanOrEqualTo(400);
  }

  @Test
  void backoffBetweenRetriesStaysUnderTheJitterCeiling() {
    sim.enqueue(SimulatedReply.status(500)).enqueue(SimulatedReply.status(502)).enqueue(SimulatedReply.json(VALID));
    LlmRuntime rt = runtime().backoff(Duration.ofMillis(100), Duration.ofMillis(150)).build();

    LlmResult<RotationDecision> result = SPEC.callForResult(rt, RotationFixture.invocation("t"));

    assertThat(result.record().attempts()).isEqualTo(3);
    List<RecordedRequest> reqs = sim.requests();
    // full jitter: retry 0 waits at most 100 ms, retry 1 at most min(150, 200) ms; allow for loopback + scheduling
    assertThat(reqs.get(1).millisSince(reqs.get(0))).isLessThan(100 + 250);
    assertThat(reqs.get(2).millisSince(reqs.get(1))).isLessThan(150 + 250);
  }

  @Test
  void aDroppedConnectionIsRetried() {
    sim.enqueue(SimulatedReply.dropConnection()).enqueue(SimulatedReply.json(VALID));
    LlmResult<RotationDecision> result = SPEC.callForResult(runtime().build(), RotationFixture.invocation("t"));
    assertThat(result.record().attempts()).isEqualTo(2);
  }

  @Test
  void aSlowReplyEndsTimeoutWithinTheDeadlinePlusASmallMargin() {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5)));
    LlmRuntime rt = runtime().build();
    CallOptions fast = CallOptions.builder().timeout(Duration.ofMillis(400)).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> SPEC.call(rt, RotationFixture.invocation("t").options(fast)))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isBetween(350L, 400L + 300L);
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CallStatus.TIMEOUT);
      assertThat(r.latencyMs()).isCloseTo(400L, within(300L));
    });
  }

  @Test
  void aTimeoutLeavesTheCallingThreadUsableForTheNextCall() {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(3))).enqueue(SimulatedReply.json(VALID));
    LlmRuntime rt = runtime().build();
    CallOptions fast = CallOptions.builder().timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> SPEC.call(rt, RotationFixture.invocation("t").options(fast)))
        .isInstanceOf(LlmTaskException.class);

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(SPEC.call(rt, RotationFixture.invocation("t")).rotationWindowDays()).isEqualTo(30);
  }

  @Test
  void interruptingTheCallingThreadCancelsTheCallAndKeepsTheInterrupt() throws Exception {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(5)));
    LlmRuntime rt = runtime().build();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        SPEC.call(rt, RotationFixture.invocation("trace_interrupted"));
      } catch (Throwable t) {
        thrown.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
    while (sim.requests().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    caller.interrupt();
    caller.join(2000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOfSatisfying(LlmTaskException.class,
        e -> assertThat(e.status()).isEqualTo(CallStatus.CANCELLED));
    assertThat(stillInterrupted.get()).as("the caller's own interrupt is kept").isTrue();
    assertThat(records).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.CANCELLED);
  }

  @Test
  void aTimedOutAttemptIsRetriedWhenTheDeadlineAllows() {
    sim.enqueue(SimulatedReply.json(VALID).withDelay(Duration.ofSeconds(3))).enqueue(SimulatedReply.json(VALID));
    CallOptions opts = CallOptions.builder().timeout(Duration.ofSeconds(3)).attemptTimeout(Duration.ofMillis(300)).build();

    LlmResult<RotationDecision> result = SPEC.callForResult(runtime().build(), RotationFixture.invocation("t").options(opts));

    assertThat(result.record().status()).isEqualTo(CallStatus.OK);
    assertThat(result.record().attempts()).isEqualTo(2);
  }

  @Test
  void anAnswerBreakingAConstraintIsReAskedThenEndsInvalidOutput() {
    sim.enqueue(SimulatedReply.json(OUT_OF_RANGE)).enqueue(SimulatedReply.json(OUT_OF_RANGE));

    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().attempts()).isEqualTo(2);
          assertThat(e.record().failureReason()).contains("rotationWindowDays", "365");
        });
    // the re-ask carries the previous answer and the violation
    RecordedRequest reask = sim.requests().get(1);
    assertThat(reask.json().at("/messages/2/role").asText()).isEqualTo("assistant");
    assertThat(reask.json().at("/messages/2/content").asText()).isEqualTo(OUT_OF_RANGE);
    assertThat(reask.json().at("/messages/3/content").asText()).contains("rotationWindowDays");
  }

  @Test
  void validJsonThatBreaksTheBusinessRuleIsReAskedAndTheSecondAnswerPasses() {
    sim.enqueue(SimulatedReply.json(WRONG_WINDOW)).enqueue(SimulatedReply.json(VALID));

    LlmResult<RotationDecision> result = SPEC.callForResult(runtime().build(), RotationFixture.invocation("t"));

    assertThat(result.value().rotationWindowDays()).isEqualTo(30);
    assertThat(result.record().status()).isEqualTo(CallStatus.OK);
    assertThat(result.record().attempts()).isEqualTo(2);
    assertThat(sim.requests().get(1).json().at("/messages/3/content").asText())
        .contains("windowMatchesPolicy", "rotation_window_days 90 is not stated by the policy");
  }

  @Test
  void withNoRepairsTheBusinessRuleFailureEndsTheCallAtOnce() {
    sim.enqueue(SimulatedReply.json(WRONG_WINDOW));
    CallOptions noRepairs = CallOptions.builder().repairs(0).build();
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t").options(noRepairs)))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().failureReason()).contains("windowMatchesPolicy: rotation_window_days 90");
          assertThat(e.record().attempts()).isEqualTo(1);
        });
  }

  @Test
  void aValueOutsideTheEnumIsASchemaFailureNamingThePath() {
    String urgent = "{\"decision\":\"urgent\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";
    sim.enqueue(SimulatedReply.json(urgent)).enqueue(SimulatedReply.json(urgent));
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().failureReason()).isEqualTo(
              "attempt 1: decision: not one of [eligible, not_eligible, not_specified]; "
                  + "attempt 2: decision: not one of [eligible, not_eligible, not_specified]")
              .doesNotContain("urgent");
        });
  }

  @Test
  void aRefusalEndsRefused() {
    sim.enqueue(SimulatedReply.refusal("I can't help with that."));
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.REFUSED);
          assertThat(e.getMessage()).doesNotContain("I can't help");
        });
  }

  @Test
  void aTruncatedAnswerIsInvalidOutputSayingSo() {
    sim.enqueue(SimulatedReply.truncated("{\"decision\":\"eli"));
    assertThatThrownBy(() -> SPEC.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().failureReason()).startsWith("truncated");
        });
  }

  @Test
  void theOutputTokenLimitIsSentEachTurnAndATruncatedAnswerNamesItAsThePoliciesDocSays() throws java.io.IOException {
    sim.enqueue(SimulatedReply.truncated("{\"decision\":\"eli"));
    LlmTaskException truncated = org.junit.jupiter.api.Assertions.assertThrows(LlmTaskException.class,
        () -> SPEC.call(runtime().build(), RotationFixture.invocation("t")));
    sim.enqueue(SimulatedReply.json(VALID));
    SPEC.call(runtime().maxOutputTokens(256).build(), RotationFixture.invocation("t"));

    assertThat(truncated.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
    assertThat(truncated.record().attempts()).as("no re-ask, no retry").isEqualTo(1);
    assertThat(truncated.record().failureReason()).isEqualTo("truncated: the answer reached the output token limit (4096)");
    assertThat(sim.requests()).extracting(r -> r.json().path("max_completion_tokens").asInt()).containsExactly(4096, 256);
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "policies.md")).replaceAll("\\s+", " ");
    assertThat(doc).contains("`maxOutputTokens` output tokens: **4096** unless set with `LlmRuntime.builder().maxOutputTokens(n)`")
        .contains("`" + truncated.record().failureReason() + "`");
  }

  @Test
  void withoutAPriceForTheModelTheCostIsUnknownNotZero() {
    sim.enqueue(SimulatedReply.json(VALID).withUsage(250, 80, 0));
    LlmRuntime rt = runtime().rateCard(RateCard.none()).build();
    CallRecord r = SPEC.callForResult(rt, RotationFixture.invocation("t")).record();
    assertThat(r.inputTokens()).isEqualTo(250);
    assertThat(r.costUsd()).isNull();
    assertThat(r.toLogLine()).contains(" cost_usd=unknown");
  }

  @Test
  void aSinkThatThrowsDoesNotBreakTheCallAndOtherSinksStillGetTheRecord() {
    sim.enqueue(SimulatedReply.json(VALID));
    LlmRuntime rt = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(API_KEY).build())
        .telemetry(r -> { throw new IllegalStateException("sink down"); })
        .telemetry(records::add)
        .build();
    assertThat(SPEC.call(rt, RotationFixture.invocation("t")).rotationWindowDays()).isEqualTo(30);
    assertThat(records).hasSize(1);
  }

  @Test
  void perTaskConfigurationOverridesTheAnnotation() {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(VALID));
    LlmRuntime rt = runtime().taskOptions("decide_rotation", CallOptions.builder().maxRetries(0).model("gpt-4.1").build()).build();
    assertThatThrownBy(() -> SPEC.call(rt, RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.PROVIDER_ERROR);
          assertThat(e.record().attempts()).isEqualTo(1);
          assertThat(e.record().model()).isEqualTo("gpt-4.1");
        });
  }

  @Test
  void theInputFingerprintIsAnHmacOnlyWhenAKeyIsConfigured() throws Exception {
    sim.enqueue(SimulatedReply.json(VALID)).enqueue(SimulatedReply.json(VALID));
    String key = "fingerprint-secret-0123456789";

    CallRecord without = SPEC.callForResult(runtime().build(), RotationFixture.invocation("t")).record();
    CallRecord with = SPEC.callForResult(runtime().fingerprintKey(key).build(), RotationFixture.invocation("t")).record();

    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = java.util.HexFormat.of().formatHex(
        mac.doFinal(RotationFixture.QUESTION.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
    assertThat(without.inputFingerprint()).isNull();
    assertThat(with.inputFingerprint()).isEqualTo(expected);
  }

  @Test
  void aMissingModelIsABadRequestWithAClearFix() {
    TaskSpec<RotationDecision> noModel = TaskSpec.builder("decide_rotation", SPEC.decoder())
        .promptVersion("rotation_decision@2").schema(SPEC.schema()).build();
    assertThatThrownBy(() -> noModel.call(runtime().build(), RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.BAD_REQUEST);
          assertThat(e.getMessage()).contains("defaultModel");
        });
    assertThat(sim.requests()).isEmpty();
  }
}
