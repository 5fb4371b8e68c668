package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
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
import dev.llmtask.budget.BudgetStore;
import dev.llmtask.budget.InMemoryBudgetStore;
import dev.llmtask.budget.Spend;
import dev.llmtask.budget.UnpricedModelRule;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Budgets on the loopback simulator: each attempt reserves its estimate or is refused without a
 * request, settles with the real usage, releases on failure; re-asks count; per tenant and per task;
 * the unpriced-model rule; alerts once per threshold and period.
 */
@ExtendWith(LlmSimulatorExtension.class)
class BudgetTest {
  private static final TaskSpec<RotationDecision> TASK = RotationFixture.spec().maxRetries(0).build();
  private static final RateCard PRICES = RateCard.builder()
      .model("gpt-4o-mini", new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6")).build();
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  private final RecordingStore store = new RecordingStore();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

  BudgetTest(LlmSimulator sim) {
    this.sim = sim;
  }

  private LlmRuntime runtime(RateCard rates, Consumer<BudgetPolicy.Builder> budgets) {
    BudgetPolicy.Builder p = BudgetPolicy.builder().store(store).clock(clock).alertAt();
    budgets.accept(p);
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-budget").build())
        .rateCard(rates)
        .maxOutputTokens(100)
        .budgets(p.build())
        .telemetry(records::add)
        .build();
  }

  private static SimulatedReply valid(int in, int out) {
    return SimulatedReply.json(RotationFixture.VALID).withUsage(in, out, 0);
  }

  private static Invocation<RotationDecision> inv(CallOptions options) {
    return RotationFixture.invocation(null).options(options);
  }

  private static LlmTaskException failure(LlmRuntime runtime, CallOptions options) {
    return failure(runtime, inv(options));
  }

  private static LlmTaskException failure(LlmRuntime runtime, Invocation<RotationDecision> invocation) {
    try {
      TASK.callForResult(runtime, invocation);
    } catch (LlmTaskException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  @Test
  void anAttemptOverTheLimitIsRefusedWithoutARequestAndOneRecord() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.global(BudgetPeriod.DAY).maxTokens(100)));

    LlmTaskException e = failure(runtime, CallOptions.none());

    assertThat(e.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(sim.requests()).as("no provider request").isEmpty();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).failureReason()).contains("global, day, max 100 tokens").contains("day 2026-12-02")
        .doesNotContain(RotationFixture.QUESTION).doesNotContain("P-7");
    assertThat(records.get(0).attemptDetails()).isEmpty();
  }

  @Test
  void theEstimateIsThePromptAtFourCharactersATokenPlusTheOutputCapAndSettlesToTheRealUsage() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("1"))));
    sim.enqueue(valid(1000, 200));

    TASK.callForResult(runtime, inv(CallOptions.none()));

    Invocation<RotationDecision> i = RotationFixture.invocation(null);
    long prompt = (i.systemPrompt().length() + i.userPrompt().length() + RotationFixture.SCHEMA.length() + 3) / 4;
    assertThat(store.reserved).hasSize(1);
    Spend estimate = store.reserved.get(0);
    assertThat(estimate.tokens()).isEqualTo(prompt + 100);
    assertThat(estimate.usd()).isEqualByComparingTo(PRICES.cost("gpt-4o-mini", prompt, 0, 100));
    assertThat(store.settled).containsExactly(Spend.of(new BigDecimal("0.0032"), 1200)); // 1000 × $2/M + 200 × $6/M
    assertThat(store.memory.spent(store.lastKey, null, clock.instant())).isEqualTo(Spend.of(new BigDecimal("0.0032"), 1200));
  }

  @Test
  void aFailedAttemptReleasesItsReservation() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.global(BudgetPeriod.DAY).maxTokens(1000)));
    sim.enqueue(SimulatedReply.status(400));

    assertThat(failure(runtime, CallOptions.none()).record().status()).isEqualTo(CallStatus.BAD_REQUEST);

    assertThat(store.settled).containsExactly(Spend.ZERO);
    assertThat(store.memory.spent(store.lastKey, null, clock.instant())).isEqualTo(Spend.ZERO);
  }

  @Test
  void aReaskIsAnAttemptOfItsOwnAndIsRefusedWhenTheBudgetIsSpent() {
    // the first attempt's real usage leaves less than the re-ask's estimate
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.global(BudgetPeriod.DAY).maxTokens(3000)));
    sim.enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW).withUsage(2800, 100, 0));

    LlmTaskException e = failure(runtime, CallOptions.none());

    assertThat(e.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(sim.requests()).as("the re-ask was not sent").hasSize(1);
    assertThat(store.reserved).hasSize(1);
    assertThat(records).hasSize(1);
  }

  @Test
  void eachTenantHasItsOwnBudgetAndACallWithoutTenantIsNotCountedByIt() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.perTenant(BudgetPeriod.MONTH).maxTokens(1200)));
    CallOptions acme = CallOptions.builder().tenant("acme").build();
    sim.enqueue(valid(1000, 100));
    TASK.callForResult(runtime, inv(acme));

    LlmTaskException refused = failure(runtime, acme);
    assertThat(refused.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(refused.record().failureReason()).contains("tenant acme").contains("month 2026-12");

    sim.enqueue(valid(1000, 100));
    sim.enqueue(valid(1000, 100));
    assertThat(TASK.callForResult(runtime, inv(CallOptions.builder().tenant("globex").build())).record().status())
        .isEqualTo(CallStatus.OK);
    assertThat(TASK.callForResult(runtime, inv(CallOptions.none())).record().status()).isEqualTo(CallStatus.OK);
    assertThat(sim.requests()).hasSize(3);
  }

  @Test
  void theTenantParameterScopesTenantBudgetsAndTheCallOptionsTenantWinsOverIt() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.perTenant(BudgetPeriod.DAY).maxTokens(1200)));
    sim.enqueue(valid(1000, 100));
    TASK.callForResult(runtime, RotationFixture.invocation(null).tenant("acme")); // what a @Tenant parameter does

    LlmTaskException refused = failure(runtime, RotationFixture.invocation(null).tenant("acme"));
    assertThat(refused.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(refused.record().failureReason()).contains("tenant acme");
    assertThat(sim.requests()).as("the refused call sent nothing").hasSize(1);

    sim.enqueue(valid(1000, 100));
    assertThat(TASK.callForResult(runtime, RotationFixture.invocation(null).tenant("globex")).record().status())
        .as("another tenant has a budget of its own").isEqualTo(CallStatus.OK);

    // the call's CallOptions tenant wins over the parameter, both ways
    sim.enqueue(valid(10, 10));
    assertThat(TASK.callForResult(runtime, inv(CallOptions.builder().tenant("initech").build()).tenant("acme"))
        .record().status()).isEqualTo(CallStatus.OK);
    assertThat(failure(runtime, inv(CallOptions.builder().tenant("acme").build()).tenant("initech"))
        .record().failureReason()).contains("tenant acme");
    assertThat(sim.requests()).hasSize(3);
  }

  @Test
  void aBlankTenantParameterIsRejectedNamingIt() {
    assertThatThrownBy(() -> RotationFixture.invocation(null).tenant(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Tenant parameter is blank");
    assertThat(RotationFixture.invocation(null).tenant(null).tenant()).isNull();
  }

  @Test
  void aTaskBudgetCountsOnlyThatTask() {
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.task("other_task", BudgetPeriod.DAY).maxTokens(1)));
    sim.enqueue(valid(10, 10));

    assertThat(TASK.callForResult(runtime, inv(CallOptions.none())).record().status()).isEqualTo(CallStatus.OK);
    assertThat(store.reserved).isEmpty();

    LlmRuntime limited = runtime(PRICES, p -> p.budget(Budget.task("decide_rotation", BudgetPeriod.DAY).maxTokens(1)));
    assertThat(failure(limited, CallOptions.none()).record().failureReason()).contains("task decide_rotation");
  }

  @Test
  void anUnpricedModelIsRefusedByDefault() {
    LlmRuntime runtime = runtime(RateCard.none(), p -> p.budget(Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("5"))));

    LlmTaskException e = failure(runtime, CallOptions.none());

    assertThat(e.record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(e.record().failureReason()).contains("no price for model gpt-4o-mini").contains("COUNT_TOKENS_ONLY");
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void anUnpricedModelCountsTokensOnlyWhenConfigured() {
    LlmRuntime runtime = runtime(RateCard.none(), p -> p.unpricedModels(UnpricedModelRule.COUNT_TOKENS_ONLY)
        .budget(Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("5")).maxTokens(1300)));
    sim.enqueue(valid(1000, 100));

    assertThat(TASK.callForResult(runtime, inv(CallOptions.none())).record().status()).isEqualTo(CallStatus.OK);
    assertThat(store.settled).containsExactly(new Spend(0, 1100));
    assertThat(failure(runtime, CallOptions.none()).record().failureReason()).as("the token limit still holds")
        .contains("max 1300 tokens");
  }

  @Test
  void alertsFireOncePerThresholdAndPeriod() {
    List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = runtime(PRICES, p -> p.budget(Budget.global(BudgetPeriod.DAY).maxTokens(10_000))
        .alertAt(50, 80, 100).alertListener(alerts::add));
    for (int i = 0; i < 4; i++) { // 3000 tokens each: 30 %, 60 %, 90 %, 120 % settled
      sim.enqueue(valid(2900, 100));
      TASK.callForResult(runtime, inv(CallOptions.none()));
    }
    assertThat(failure(runtime, CallOptions.none()).record().status()).isEqualTo(CallStatus.BUDGET_EXCEEDED);
    assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80, 100);
    assertThat(alerts).extracting(BudgetAlert::window).containsOnly("day 2026-12-02");
    assertThat(alerts.get(2).spent().tokens()).isEqualTo(12_000);

    clock.now = Instant.parse("2026-12-03T00:00:01Z");
    for (int i = 0; i < 2; i++) {
      sim.enqueue(valid(2900, 100));
      TASK.callForResult(runtime, inv(CallOptions.none()));
    }
    assertThat(alerts).extracting(a -> a.window() + "@" + a.thresholdPercent())
        .containsExactly("day 2026-12-02@50", "day 2026-12-02@80", "day 2026-12-02@100", "day 2026-12-03@50");
  }

  @Test
  void aRollingWindowForgetsSpendOlderThanIt() {
    InMemoryBudgetStore memory = new InMemoryBudgetStore();
    Duration hour = Duration.ofHours(1);
    Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
    Spend limit = new Spend(Long.MAX_VALUE, 1000);
    BudgetReservation first = memory.reserve("k", hour, t0, t0.plus(hour), new Spend(0, 600), limit);
    memory.settle(first, new Spend(0, 700), hour, t0.plusSeconds(1));

    assertThat(memory.reserve("k", hour, t0.plusSeconds(1800), t0.plus(hour), new Spend(0, 400), limit)).isNull();
    BudgetReservation later = memory.reserve("k", hour, t0.plusSeconds(3601), t0.plus(hour), new Spend(0, 400), limit);
    assertThat(later).isNotNull();
    assertThat(later.total()).isEqualTo(new Spend(0, 400));
  }

  @Test
  void aFailingStoreFailsTheAttemptWithoutARequestNeverPassesIt() {
    BudgetStore down = new BudgetStore() {
      @Override
      public BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount, Spend limit) {
        throw new IllegalStateException("connection refused to 10.0.0.7");
      }

      @Override
      public Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now) {
        throw new IllegalStateException("connection refused");
      }
    };
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-budget").build())
        .rateCard(PRICES)
        .budgets(BudgetPolicy.builder().store(down).budget(Budget.global(BudgetPeriod.DAY).maxTokens(10_000)).build())
        .build();

    LlmTaskException e = failure(runtime, CallOptions.none());

    assertThat(e.record().status()).isEqualTo(CallStatus.PROVIDER_ERROR);
    assertThat(e.record().failureReason()).contains("the budget store failed (IllegalStateException)")
        .doesNotContain("10.0.0.7");
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void misconfiguredBudgetsFailAtWiringNamingTheSetting() {
    assertThatThrownBy(() -> BudgetPolicy.builder().budget(Budget.global(BudgetPeriod.DAY)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUsd").hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> BudgetPolicy.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no budget");
    assertThatThrownBy(() -> Budget.global(BudgetPeriod.DAY).maxUsd(BigDecimal.ZERO))
        .hasMessageContaining("maxUsd must be positive");
    assertThatThrownBy(() -> BudgetPeriod.rolling(Duration.ofMillis(10))).hasMessageContaining("at least 1 s");
    assertThatThrownBy(() -> BudgetPolicy.builder().alertAt(0)).hasMessageContaining("alertAt");
  }

  /** The in-memory store, with what the link reserved and settled. */
  private static final class RecordingStore implements BudgetStore {
    final InMemoryBudgetStore memory = new InMemoryBudgetStore();
    final List<Spend> reserved = new CopyOnWriteArrayList<>();
    final List<Spend> settled = new CopyOnWriteArrayList<>();
    volatile String lastKey;

    @Override
    public BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount, Spend limit) {
      BudgetReservation r = memory.reserve(key, rolling, now, expiresAt, amount, limit);
      if (r != null) {
        reserved.add(amount);
        lastKey = key;
      }
      return r;
    }

    @Override
    public Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now) {
      settled.add(actual);
      return memory.settle(reservation, actual, rolling, now);
    }
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
