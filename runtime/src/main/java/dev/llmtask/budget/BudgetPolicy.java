package dev.llmtask.budget;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The budgets of a runtime, with where they are counted, what happens to unpriced models and who is
 * told when spend crosses a threshold. Immutable; set it with {@code LlmRuntime.builder().budgets(…)}.
 *
 * <pre>{@code
 * BudgetPolicy budgets = BudgetPolicy.builder()
 *     .budget(Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("50")))
 *     .budget(Budget.perTenant(BudgetPeriod.MONTH).maxTokens(2_000_000))
 *     .unpricedModels(UnpricedModelRule.COUNT_TOKENS_ONLY)
 *     .build();
 * }</pre>
 *
 * Each provider attempt (retries, re-asks and fallbacks alike) first reserves its estimate in every
 * budget that applies; see {@code docs/spend.md}.
 */
public final class BudgetPolicy {
  private final List<Budget> budgets;
  private final BudgetStore store;
  private final UnpricedModelRule unpriced;
  private final List<Integer> thresholds;
  private final BudgetAlertListener listener;
  private final Clock clock;

  private BudgetPolicy(Builder b) {
    this.budgets = List.copyOf(b.budgets);
    this.store = b.store != null ? b.store : new InMemoryBudgetStore();
    this.unpriced = b.unpriced;
    this.thresholds = List.copyOf(b.thresholds);
    this.listener = b.listener;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Budget> budgets() {
    return budgets;
  }

  public BudgetStore store() {
    return store;
  }

  public UnpricedModelRule unpricedModels() {
    return unpriced;
  }

  /** The alert thresholds in percent, ascending. */
  public List<Integer> alertThresholds() {
    return thresholds;
  }

  public BudgetAlertListener alertListener() {
    return listener;
  }

  public Clock clock() {
    return clock;
  }

  /** Builder of {@link BudgetPolicy}. */
  public static final class Builder {
    private final List<Budget> budgets = new ArrayList<>();
    private BudgetStore store;
    private UnpricedModelRule unpriced = UnpricedModelRule.REFUSE;
    private TreeSet<Integer> thresholds = new TreeSet<>(List.of(50, 80, 100));
    private BudgetAlertListener listener = new LoggingBudgetAlertListener();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds a budget; it must have a USD or token limit. */
    public Builder budget(Budget budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.maxUsd() == null && budget.maxTokens() == null) {
        throw new IllegalArgumentException("the budget " + budget + " has no limit: give it maxUsd(…) or maxTokens(…)");
      }
      budgets.add(budget);
      return this;
    }

    /** Where spend is counted (default: a new {@link InMemoryBudgetStore}). */
    public Builder store(BudgetStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** What to do with models the rate card has no price for (default {@link UnpricedModelRule#REFUSE}). */
    public Builder unpricedModels(UnpricedModelRule rule) {
      this.unpriced = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /** The alert thresholds in percent of a limit, each 1 to 1000 (default 50, 80, 100); none: no alerts. */
    public Builder alertAt(int... percents) {
      TreeSet<Integer> t = new TreeSet<>();
      for (int p : percents) {
        if (p < 1 || p > 1000) {
          throw new IllegalArgumentException("alertAt thresholds are percents from 1 to 1000, was " + p);
        }
        t.add(p);
      }
      this.thresholds = t;
      return this;
    }

    /** Who is told of crossed thresholds (default: {@link LoggingBudgetAlertListener}). */
    public Builder alertListener(BudgetAlertListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock periods are read from (default UTC system clock); for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @throws IllegalStateException when no budget was added */
    public BudgetPolicy build() {
      if (budgets.isEmpty()) {
        throw new IllegalStateException("BudgetPolicy has no budget: add one with budget(Budget.global(BudgetPeriod.DAY).maxUsd(…))");
      }
      return new BudgetPolicy(this);
    }
  }
}
