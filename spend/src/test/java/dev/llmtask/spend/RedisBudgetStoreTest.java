package dev.llmtask.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.RateCard;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetAlert;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.BudgetReservation;
import dev.llmtask.budget.Spend;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spend.redis.RedisBudgetStore;
import dev.llmtask.testkit.SimulatedReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The Redis budget store on a real redis-server over loopback, shared by two runtimes. */
class RedisBudgetStoreTest extends RedisAndSimulator {
  private static final TaskSpec<Verdict> TASK = task(Duration.ofSeconds(30));
  private static final int OUTPUT_CAP = 100;

  private static LlmRuntime runtime(RedisBudgetStore store, long maxTokens) {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-spend").build())
        .rateCard(RateCard.illustrative())
        .maxOutputTokens(OUTPUT_CAP)
        .budgets(BudgetPolicy.builder().store(store).alertAt()
            .budget(Budget.global(BudgetPeriod.DAY).maxTokens(maxTokens)).build())
        .build();
  }

  @Test
  void sixtyFourConcurrentCallsFromTwoRuntimesNeverOverspendAndARefusedCallSendsNothing() {
    sim.reset();
    long estimate = (PROMPT.length() + SCHEMA.length() + 3) / 4 + OUTPUT_CAP;
    // each call uses exactly its estimate, so ten and a half fit: exactly ten may run
    long limit = estimate * 10 + estimate / 2;
    for (int i = 0; i < 64; i++) {
      sim.enqueue(SimulatedReply.json("{\"priority\":\"high\"}").withUsage((int) (estimate - OUTPUT_CAP), OUTPUT_CAP, 0));
    }
    try (RedisBudgetStore a = RedisBudgetStore.create(uri, "race:"); RedisBudgetStore b = RedisBudgetStore.create(uri, "race:")) {
      LlmRuntime first = runtime(a, limit);
      LlmRuntime second = runtime(b, limit);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<LlmResult<Verdict>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        LlmRuntime runtime = i % 2 == 0 ? first : second;
        calls.add(CompletableFuture.supplyAsync(() -> {
          awaitQuietly(go);
          return TASK.callForResult(runtime, Invocation.user(PROMPT));
        }, pool));
      }
      go.countDown();
      int ok = 0;
      int refused = 0;
      for (CompletableFuture<LlmResult<Verdict>> call : calls) {
        try {
          assertThat(call.join().record().status()).isEqualTo(CallStatus.OK);
          ok++;
        } catch (CompletionException e) {
          assertThat(((LlmTaskException) e.getCause()).status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
          refused++;
        }
      }
      pool.shutdown();
      assertThat(ok).as("calls that fit the shared budget").isEqualTo(10);
      assertThat(refused).isEqualTo(54);
      assertThat(sim.requests()).as("a refused call sends no request").hasSize(ok);
      BudgetReservation probe = a.reserve("global|" + BudgetPeriod.DAY.windowAt(Instant.now()) + "|"
          + Budget.global(BudgetPeriod.DAY).maxTokens(limit), null, Instant.now(), Instant.now().plusSeconds(60), Spend.ZERO,
          Spend.UNLIMITED);
      assertThat(probe.total().tokens()).as("spent, settled").isEqualTo(estimate * 10).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void anAlertThresholdFiresOncePerWindowAcrossRuntimesSharingTheStore() {
    sim.reset();
    long estimate = (PROMPT.length() + SCHEMA.length() + 3) / 4 + OUTPUT_CAP;
    for (int i = 0; i < 3; i++) {
      sim.enqueue(SimulatedReply.json("{\"priority\":\"high\"}").withUsage((int) (estimate - OUTPUT_CAP), OUTPUT_CAP, 0));
    }
    List<BudgetAlert> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RedisBudgetStore a = RedisBudgetStore.create(uri, "alerts:"); RedisBudgetStore b = RedisBudgetStore.create(uri, "alerts:")) {
      Budget budget = Budget.global(BudgetPeriod.DAY).maxTokens(estimate * 4);
      LlmRuntime first = alerting(a, budget, alerts);
      LlmRuntime second = alerting(b, budget, alerts);

      TASK.callForResult(first, Invocation.user(PROMPT)); // 25 %
      TASK.callForResult(second, Invocation.user(PROMPT)); // 50 %: the alert
      TASK.callForResult(first, Invocation.user(PROMPT)); // 75 %: the first runtime has not alerted, the fleet has

      assertThat(alerts).singleElement().satisfies(alert -> assertThat(alert.thresholdPercent()).isEqualTo(50));
    }
  }

  private static LlmRuntime alerting(RedisBudgetStore store, Budget budget, List<BudgetAlert> alerts) {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-spend").build())
        .rateCard(RateCard.illustrative())
        .maxOutputTokens(OUTPUT_CAP)
        .budgets(BudgetPolicy.builder().store(store).alertAt(50).alertListener(alerts::add).budget(budget).build())
        .build();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aRollingWindowDropsSpendOlderThanItAndSettleReplacesTheReservation() {
    try (RedisBudgetStore store = RedisBudgetStore.create(uri, "rolling:")) {
      Duration hour = Duration.ofHours(1);
      Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
      Spend limit = new Spend(Long.MAX_VALUE, 1000);
      BudgetReservation r = store.reserve("k", hour, t0, t0.plus(Duration.ofDays(3650)), new Spend(5, 600), limit);
      assertThat(r.total()).isEqualTo(new Spend(5, 600));
      assertThat(store.settle(r, new Spend(7, 700), hour, t0.plusSeconds(1))).isEqualTo(new Spend(7, 700));

      assertThat(store.reserve("k", hour, t0.plusSeconds(1800), t0.plus(Duration.ofDays(3650)), new Spend(0, 400), limit))
          .as("700 + 400 passes 1000").isNull();
      BudgetReservation later = store.reserve("k", hour, t0.plusSeconds(3601), t0.plus(Duration.ofDays(3650)),
          new Spend(0, 400), limit);
      assertThat(later.total()).as("the first spend left the window").isEqualTo(new Spend(0, 400));
      assertThat(store.settle(later, Spend.ZERO, hour, t0.plusSeconds(3602))).as("released").isEqualTo(Spend.ZERO);
    }
  }

  @Test
  void aCalendarWindowSettlesToTheRealSpendAndAReleaseFreesIt() {
    try (RedisBudgetStore store = RedisBudgetStore.create(uri, "calendar:")) {
      Instant now = Instant.now();
      Instant end = BudgetPeriod.DAY.endAfter(now);
      Spend limit = Spend.of(new BigDecimal("0.01"), Long.MAX_VALUE);
      BudgetReservation r = store.reserve("day", null, now, end, Spend.of(new BigDecimal("0.006"), 10), limit);
      assertThat(store.reserve("day", null, now, end, Spend.of(new BigDecimal("0.006"), 10), limit)).isNull();
      assertThat(store.settle(r, Spend.of(new BigDecimal("0.001"), 3), null, now)).isEqualTo(Spend.of(new BigDecimal("0.001"), 3));
      BudgetReservation second = store.reserve("day", null, now, end, Spend.of(new BigDecimal("0.006"), 10), limit);
      assertThat(second.total()).isEqualTo(Spend.of(new BigDecimal("0.007"), 13));
      assertThat(store.settle(second, Spend.ZERO, null, now)).isEqualTo(Spend.of(new BigDecimal("0.001"), 3));
    }
  }
}
