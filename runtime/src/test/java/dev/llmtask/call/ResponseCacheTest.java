package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmtask.CacheMode;
import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.RateCard;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.ResponseStore;
import dev.llmtask.spi.TaskCall.Mode;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** The response cache link on the loopback simulator: what is keyed, what is stored, what a hit records. */
@ExtendWith(LlmSimulatorExtension.class)
class ResponseCacheTest {
  private static final TaskSpec<RotationDecision> CACHED = RotationFixture.spec().cacheTtl(Duration.ofMinutes(10)).build();
  private static final TaskSpec<RotationDecision> UNCACHED = RotationFixture.spec().build();
  private static final RateCard PRICES = RateCard.builder()
      .defaultRate(new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6")).build();
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  private final MapStore store = new MapStore();

  ResponseCacheTest(LlmSimulator sim) { // shared by the class, reset after each test
    this.sim = sim;
  }

  private LlmRuntime runtime(Consumer<LlmRuntime.Builder> more) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-cache").build())
        .provider("other", OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-cache").build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .rateCard(PRICES)
        .responseCache(store)
        .telemetry(records::add);
    more.accept(b);
    return b.build();
  }

  private LlmRuntime runtime() {
    return runtime(b -> { });
  }

  private static LlmResult<RotationDecision> run(Mode mode, TaskSpec<RotationDecision> spec, LlmRuntime runtime,
      Invocation<RotationDecision> inv) {
    return switch (mode) {
      case BLOCKING -> spec.callForResult(runtime, inv);
      case ASYNC -> spec.callForResultAsync(runtime, inv).join();
      case STREAM -> spec.stream(runtime, inv).result().join();
    };
  }

  private void answerValid(int times) {
    for (int i = 0; i < times; i++) {
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withUsage(1000, 50, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"BLOCKING", "ASYNC"})
  void aRepeatedCallIsAHitWithNoAttemptNoCostAndTheSavedCost(Mode mode) {
    LlmRuntime runtime = runtime();
    answerValid(1);
    LlmResult<RotationDecision> first = run(mode, CACHED, runtime, RotationFixture.invocation("trace_a"));
    LlmResult<RotationDecision> second = run(mode, CACHED, runtime, RotationFixture.invocation("trace_b"));

    assertThat(sim.requests()).hasSize(1);
    assertThat(second.value()).isEqualTo(first.value());
    CallRecord miss = first.record();
    assertThat(miss.attributes()).containsEntry("cache", "stored").doesNotContainKey("cache_saved_usd");
    assertThat(miss.attempts()).isEqualTo(1);
    assertThat(miss.costUsd()).isEqualByComparingTo("0.0023"); // 1000 × $2/M + 50 × $6/M
    CallRecord hit = second.record();
    assertThat(hit.status()).isEqualTo(CallStatus.OK);
    assertThat(hit.attempts()).isZero();
    assertThat(hit.attemptDetails()).isEmpty();
    assertThat(hit.inputTokens()).isZero();
    assertThat(hit.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(hit.traceId()).isEqualTo("trace_b");
    assertThat(hit.attributes()).containsEntry("cache", "hit");
    assertThat(new BigDecimal(hit.attributes().get("cache_saved_usd"))).isEqualByComparingTo(miss.costUsd());
    assertThat(records).hasSize(2);
  }

  @Test
  void keysHoldNoPromptTextAndValuesHoldOnlyTheValidatedAnswer() {
    answerValid(1);
    CACHED.call(runtime(), RotationFixture.invocation("trace_a"));
    assertThat(store.values).hasSize(1);
    String key = store.values.keySet().iterator().next();
    assertThat(key).matches("llmtask:decide_rotation:[0-9a-f]{64}");
    assertThat(new String(store.values.get(key), StandardCharsets.UTF_8)).endsWith(RotationFixture.VALID)
        .doesNotContain(RotationFixture.QUESTION).doesNotContain(RotationFixture.POLICY);
    assertThat(store.ttls.get(key)).isEqualTo(Duration.ofMinutes(10));
  }

  /** Each part of the key, changed on its own, is a miss; the trace id, metadata and idempotency key are not part of it. */
  @Test
  void everyKeyPartChangedMissesAndTheTraceIdDoesNot() {
    LlmRuntime runtime = runtime(b -> b.intercept(chain -> chain.proceed(
        "other".equals(chain.call().metadata().get("route")) ? chain.call().withProvider("other") : chain.call())));
    answerValid(1);
    Invocation<RotationDecision> base = RotationFixture.invocation("trace_0");
    CACHED.call(runtime, base);

    RotationFixture.spec().cacheTtl(Duration.ofMinutes(1)).build().call(runtime, RotationFixture.invocation("t"));
    assertThat(sim.requests()).as("an equal spec built again hits").hasSize(1);

    Map<String, Runnable> changes = new java.util.LinkedHashMap<>();
    changes.put("prompt version", () -> RotationFixture.spec().cacheTtl(Duration.ofMinutes(1))
        .promptVersion("rotation_decision@3").build().call(runtime, RotationFixture.invocation("t")));
    changes.put("output schema", () -> RotationFixture.spec().cacheTtl(Duration.ofMinutes(1))
        .schema(new OutputSchema("decide_rotation", RotationFixture.SCHEMA.replace("365", "366"),
            RotationFixture.SCHEMA.replace("365", "366"))).build().call(runtime, RotationFixture.invocation("t")));
    changes.put("model", () -> CACHED.call(runtime, RotationFixture.invocation("t")
        .options(CallOptions.builder().model("gpt-4o").build())));
    changes.put("sampling settings", () -> CACHED.call(runtime, RotationFixture.invocation("t")
        .options(CallOptions.builder().sampling(dev.llmtask.Sampling.builder().temperature(0).build()).build())));
    changes.put("stop sequences", () -> CACHED.call(runtime, RotationFixture.invocation("t")
        .options(CallOptions.builder().sampling(dev.llmtask.Sampling.builder().temperature(0).stop("}").build()).build())));
    changes.put("provider", () -> CACHED.call(runtime, RotationFixture.invocation("t")
        .options(CallOptions.builder().metadata("route", "other").build())));
    changes.put("system prompt", () -> CACHED.call(runtime, Invocation.<RotationDecision>of(
        "Answer only from this policy.\n" + RotationFixture.POLICY, RotationFixture.QUESTION)));
    changes.put("user prompt", () -> CACHED.call(runtime, Invocation.<RotationDecision>of(
        "Answer only from the policy below.\n" + RotationFixture.POLICY, RotationFixture.QUESTION + " ")));
    TaskSpec<RotationDecision> renamed = TaskSpec.builder("decide_rotation_v2",
            dev.llmtask.codegen.OutputDecoder.of(RotationDecision.class)).promptVersion("rotation_decision@2")
        .model("gpt-4o-mini").cacheTtl(Duration.ofMinutes(1))
        .schema(new OutputSchema("decide_rotation_v2", RotationFixture.SCHEMA, RotationFixture.SCHEMA)).build();
    changes.put("task", () -> renamed.call(runtime, RotationFixture.invocation("t")));

    for (Map.Entry<String, Runnable> change : changes.entrySet()) {
      int n = sim.requests().size();
      answerValid(1);
      change.getValue().run();
      assertThat(sim.requests()).as(change.getKey() + " changed: a miss").hasSize(n + 1);
      assertThat(records.get(records.size() - 1).attributes()).as(change.getKey()).containsEntry("cache", "stored");
    }

    int n = sim.requests().size();
    LlmResult<RotationDecision> same = CACHED.callForResult(runtime, RotationFixture.invocation("trace_other")
        .idempotencyKey("idem-1").options(CallOptions.builder().metadata("tenant", "t-9").build()));
    assertThat(sim.requests()).as("trace id, idempotency key, metadata changed: a hit").hasSize(n);
    assertThat(same.record().attributes()).containsEntry("cache", "hit");
  }

  @Test
  void anInvalidAnswerIsNeverStoredAndARepairedOneIsStoredAsRepaired() {
    LlmRuntime runtime = runtime();
    sim.enqueue(SimulatedReply.json(RotationFixture.OUT_OF_RANGE));
    sim.enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW));
    assertThatThrownBy(() -> CACHED.call(runtime, RotationFixture.invocation("t1")))
        .isInstanceOf(LlmTaskException.class);
    assertThat(store.values).isEmpty();
    assertThat(records.get(0).attributes()).containsEntry("cache", "miss");

    sim.enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW)); // fails @Check, re-asked
    answerValid(1);
    CACHED.call(runtime, RotationFixture.invocation("t2"));
    assertThat(store.values).hasSize(1);
    String stored = new String(store.values.values().iterator().next(), StandardCharsets.UTF_8);
    assertThat(stored).endsWith(RotationFixture.VALID).doesNotContain("90");
  }

  @Test
  void aHitIsCheckedAgainAndOneThatFailsItsChecksAsksTheModel() {
    LlmRuntime runtime = runtime();
    answerValid(1);
    CACHED.call(runtime, RotationFixture.invocation("t1"));
    // same prompts, a stricter @Check: the stored answer no longer passes
    Invocation<RotationDecision> stricter = Invocation.<RotationDecision>of(
            "Answer only from the policy below.\n" + RotationFixture.POLICY, RotationFixture.QUESTION)
        .check("shortWindow", d -> d.rotationWindowDays() < 30 ? List.of() : List.of("window too long"));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID.replace("30", "20")));
    RotationDecision answer = CACHED.call(runtime, stricter.options(CallOptions.builder().repairs(0).build()));
    assertThat(answer.rotationWindowDays()).isEqualTo(20);
    assertThat(sim.requests()).hasSize(2);
    assertThat(records.get(1).attributes()).containsEntry("cache", "stored");
  }

  @Test
  void perCallModesBypassRefreshAndNoStore() {
    LlmRuntime runtime = runtime();
    Function<CacheMode, Invocation<RotationDecision>> with = m -> RotationFixture.invocation("t")
        .options(CallOptions.builder().cache(m).build());

    answerValid(1);
    CACHED.call(runtime, with.apply(CacheMode.NO_STORE));
    assertThat(store.values).as("no-store miss").isEmpty();
    assertThat(last().attributes()).containsEntry("cache", "miss");

    answerValid(1);
    CACHED.call(runtime, with.apply(CacheMode.BYPASS));
    assertThat(store.values).as("bypass").isEmpty();
    assertThat(last().attributes()).containsEntry("cache", "bypassed");

    answerValid(1);
    CACHED.call(runtime, RotationFixture.invocation("t"));
    assertThat(store.values).hasSize(1);
    int n = sim.requests().size();
    CACHED.call(runtime, with.apply(CacheMode.NO_STORE));
    assertThat(last().attributes()).containsEntry("cache", "hit");
    answerValid(1);
    CACHED.call(runtime, with.apply(CacheMode.BYPASS));
    assertThat(sim.requests()).hasSize(n + 1);

    sim.enqueue(SimulatedReply.json(RotationFixture.VALID.replace("[\"P-7\"]", "[\"P-7\",\"P-7\"]")));
    CACHED.call(runtime, with.apply(CacheMode.REFRESH));
    assertThat(last().attributes()).containsEntry("cache", "refreshed");
    assertThat(sim.requests()).hasSize(n + 2);
    RotationDecision refreshed = CACHED.call(runtime, RotationFixture.invocation("t"));
    assertThat(refreshed.sourceLineIds()).as("the refreshed answer replaced the old one").hasSize(2);
    assertThat(sim.requests()).hasSize(n + 2);
  }

  @Test
  void runtimeConfigurationPerTaskTurnsCachingOnAndOff() {
    LlmRuntime on = runtime(b -> b.taskOptions("decide_rotation", CallOptions.builder().cacheTtl(Duration.ofSeconds(90)).build()));
    answerValid(1);
    UNCACHED.call(on, RotationFixture.invocation("t"));
    UNCACHED.call(on, RotationFixture.invocation("t"));
    assertThat(sim.requests()).hasSize(1);
    assertThat(store.ttls.values()).containsExactly(Duration.ofSeconds(90));

    store.values.clear();
    LlmRuntime off = runtime(b -> b.taskOptions("decide_rotation", CallOptions.builder().cache(CacheMode.BYPASS).build()));
    answerValid(2);
    CACHED.call(off, RotationFixture.invocation("t"));
    CACHED.call(off, RotationFixture.invocation("t"));
    assertThat(sim.requests()).hasSize(3);
    assertThat(store.values).isEmpty();

    answerValid(1);
    UNCACHED.call(runtime(), RotationFixture.invocation("t"));
    assertThat(store.values).as("a task that is not cached").isEmpty();
    assertThat(last().attributes()).doesNotContainKey("cache");
  }

  @Test
  void aStreamIsNeverServedFromTheCache() {
    LlmRuntime runtime = runtime();
    answerValid(2);
    CACHED.call(runtime, RotationFixture.invocation("t"));
    LlmResult<RotationDecision> streamed = run(Mode.STREAM, CACHED, runtime, RotationFixture.invocation("t"));
    assertThat(sim.requests()).hasSize(2);
    assertThat(streamed.record().attributes()).containsEntry("cache", "bypassed");
  }

  @Test
  void concurrentIdenticalMissesMakeOneModelCall() {
    LlmRuntime runtime = runtime();
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withUsage(1000, 50, 0).withDelay(Duration.ofMillis(300)));
    List<CompletableFuture<LlmResult<RotationDecision>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(CACHED.callForResultAsync(runtime, RotationFixture.invocation("t" + i)));
    }
    // and one blocking caller among them
    LlmResult<RotationDecision> blocking = CACHED.callForResult(runtime, RotationFixture.invocation("tb"));
    calls.forEach(CompletableFuture::join);

    assertThat(sim.requests()).hasSize(1);
    assertThat(records).hasSize(7);
    assertThat(records).filteredOn(r -> "stored".equals(r.attributes().get("cache"))).hasSize(1);
    assertThat(records).filteredOn(r -> "hit".equals(r.attributes().get("cache")))
        .hasSize(6).allSatisfy(r -> assertThat(r.attempts()).isZero());
    assertThat(blocking.value()).isEqualTo(calls.get(0).join().value());
  }

  @Test
  void aFailingStoreMakesMissesWithOneWarningPerOutage() {
    Logger log = (Logger) LoggerFactory.getLogger("dev.llmtask.internal.pipeline.CacheLink");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      LlmRuntime runtime = runtime();
      store.failing = true;
      answerValid(3);
      for (int i = 0; i < 3; i++) {
        assertThat(CACHED.callForResult(runtime, RotationFixture.invocation("t")).record().attributes())
            .containsEntry("cache", "miss");
      }
      assertThat(sim.requests()).hasSize(3);
      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1)
          .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("MapStore failed (IllegalStateException)")
              .doesNotContain(RotationFixture.QUESTION));

      store.failing = false;
      answerValid(1);
      CACHED.call(runtime, RotationFixture.invocation("t"));
      assertThat(CACHED.callForResult(runtime, RotationFixture.invocation("t")).record().attributes())
          .containsEntry("cache", "hit");
      store.failing = true;
      answerValid(1);
      CACHED.call(runtime, RotationFixture.invocation("t"));
      assertThat(appender.list).as("a second outage warns again").filteredOn(e -> e.getLevel() == Level.WARN).hasSize(2);
    } finally {
      log.detachAppender(appender);
    }
  }

  @Test
  void aSharedStoreNeedsTheFingerprintKey() {
    ResponseStore shared = new MapStore() {
      @Override
      public boolean shared() {
        return true;
      }
    };
    LlmRuntime.Builder b = LlmRuntime.builder().provider(OpenAiProvider.builder().apiKey("sk-test").build())
        .responseCache(shared);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fingerprintKey");
    b.fingerprintKey("a-secret-of-at-least-16-bytes").build();
  }

  private CallRecord last() {
    return records.get(records.size() - 1);
  }

  /** A store in a map, which can be made to fail. */
  static class MapStore implements ResponseStore {
    final Map<String, byte[]> values = new ConcurrentHashMap<>();
    final Map<String, Duration> ttls = new ConcurrentHashMap<>();
    volatile boolean failing;

    @Override
    public CompletionStage<byte[]> get(String key) {
      if (failing) {
        return CompletableFuture.failedFuture(new IllegalStateException("down"));
      }
      return CompletableFuture.completedFuture(values.get(key));
    }

    @Override
    public CompletionStage<Void> put(String key, byte[] value, Duration ttl) {
      if (failing) {
        throw new IllegalStateException("down");
      }
      values.put(key, value);
      ttls.put(key, ttl);
      return CompletableFuture.completedFuture(null);
    }
  }
}
