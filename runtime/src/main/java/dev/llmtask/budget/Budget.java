package dev.llmtask.budget;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One spend limit: a {@link BudgetScope scope}, a {@link BudgetPeriod period}, and a limit in USD,
 * in tokens, or both. Immutable; each {@code max…} returns a copy.
 *
 * <pre>{@code
 * Budget daily = Budget.global(BudgetPeriod.DAY).maxUsd(new BigDecimal("50"));
 * Budget perTenant = Budget.perTenant(BudgetPeriod.MONTH).maxTokens(2_000_000);
 * Budget summaries = Budget.task("summarize", BudgetPeriod.rolling(Duration.ofHours(1))).maxUsd(new BigDecimal("2"));
 * }</pre>
 */
public final class Budget {
  private final BudgetScope scope;
  private final String task;
  private final BudgetPeriod period;
  private final BigDecimal maxUsd;
  private final Long maxTokens;

  private Budget(BudgetScope scope, String task, BudgetPeriod period, BigDecimal maxUsd, Long maxTokens) {
    this.scope = scope;
    this.task = task;
    this.period = Objects.requireNonNull(period, "period");
    this.maxUsd = maxUsd;
    this.maxTokens = maxTokens;
  }

  /** A limit on every call of the runtime. */
  public static Budget global(BudgetPeriod period) {
    return new Budget(BudgetScope.GLOBAL, null, period, null, null);
  }

  /** A limit on the calls of the task named {@code taskName} (its {@code @LlmTask} name). */
  public static Budget task(String taskName, BudgetPeriod period) {
    if (taskName == null || taskName.isBlank()) {
      throw new IllegalArgumentException("Budget.task needs the task's name, was " + (taskName == null ? "null" : "blank"));
    }
    return new Budget(BudgetScope.TASK, taskName, period, null, null);
  }

  /** The same limit for each tenant apart; calls without a tenant are not counted by it. */
  public static Budget perTenant(BudgetPeriod period) {
    return new Budget(BudgetScope.TENANT, null, period, null, null);
  }

  /** A copy limited to {@code usd} per period; must be positive. */
  public Budget maxUsd(BigDecimal usd) {
    Objects.requireNonNull(usd, "usd");
    if (usd.signum() <= 0) {
      throw new IllegalArgumentException("Budget maxUsd must be positive, was " + usd);
    }
    return new Budget(scope, task, period, usd, maxTokens);
  }

  /** A copy limited to {@code tokens} (input plus output) per period; must be positive. */
  public Budget maxTokens(long tokens) {
    if (tokens <= 0) {
      throw new IllegalArgumentException("Budget maxTokens must be positive, was " + tokens);
    }
    return new Budget(scope, task, period, maxUsd, tokens);
  }

  public BudgetScope scope() {
    return scope;
  }

  /** The task a {@link BudgetScope#TASK} budget limits, else {@code null}. */
  public String taskName() {
    return task;
  }

  public BudgetPeriod period() {
    return period;
  }

  /** The USD limit, or {@code null} for none. */
  public BigDecimal maxUsd() {
    return maxUsd;
  }

  /** The token limit, or {@code null} for none. */
  public Long maxTokens() {
    return maxTokens;
  }

  /** The limit as a {@link Spend}; a unit without limit is {@link Long#MAX_VALUE}. */
  public Spend limit() {
    return new Spend(maxUsd == null ? Long.MAX_VALUE : Spend.nano(maxUsd), maxTokens == null ? Long.MAX_VALUE : maxTokens);
  }

  /** The budget for log lines and reasons, e.g. {@code task summarize, day, max $2}. */
  @Override
  public String toString() {
    return scope.name().toLowerCase(java.util.Locale.ROOT) + (task == null ? "" : " " + task) + ", " + period
        + (maxUsd == null ? "" : ", max $" + maxUsd.toPlainString()) + (maxTokens == null ? "" : ", max " + maxTokens + " tokens");
  }
}
