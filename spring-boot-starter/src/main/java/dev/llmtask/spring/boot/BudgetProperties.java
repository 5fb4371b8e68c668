package dev.llmtask.spring.boot;

import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetAlertListener;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.BudgetPolicy;
import dev.llmtask.budget.BudgetScope;
import dev.llmtask.budget.BudgetStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.convert.DurationStyle;

/** Builds the {@link BudgetPolicy} of {@code llmtask.budgets.*}; every problem names its property. */
final class BudgetProperties {
  private static final String PREFIX = "llmtask.budgets";

  private BudgetProperties() {}

  /**
   * The policy of the properties, with the store and listener beans when defined; null when no limit is
   * configured.
   *
   * @param knownTasks the task names of the generated clients, to reject a budget for a task that does not exist
   */
  static BudgetPolicy policy(LlmTaskProperties.Budgets p, Set<String> knownTasks, BudgetStore store,
      BudgetAlertListener listener) {
    if (p.limits().isEmpty()) {
      String set = p.unpricedModels() != null ? PREFIX + ".unpriced-models" : p.alertAt() != null
          ? PREFIX + ".alert-at" : store != null ? "a BudgetStore bean" : listener != null
          ? "a BudgetAlertListener bean" : null;
      if (set != null) {
        throw new InvalidLlmTaskPropertyException(PREFIX + ".limits", "no budget is configured, yet " + set
            + " is: add llmtask.budgets.limits[0].scope=global, .period=day and .max-usd=… (or define a"
            + " BudgetPolicy bean)");
      }
      return null;
    }
    BudgetPolicy.Builder policy = BudgetPolicy.builder();
    List<LlmTaskProperties.Limit> limits = p.limits();
    for (int i = 0; i < limits.size(); i++) {
      String property = PREFIX + ".limits[" + i + "]";
      Budget budget = budget(property, limits.get(i), knownTasks);
      RuntimeProperties.set(property, () -> policy.budget(budget));
    }
    if (p.unpricedModels() != null) {
      policy.unpricedModels(p.unpricedModels());
    }
    if (p.alertAt() != null) {
      RuntimeProperties.set(PREFIX + ".alert-at",
          () -> policy.alertAt(p.alertAt().stream().mapToInt(Integer::intValue).toArray()));
    }
    if (store != null) {
      policy.store(store);
    }
    if (listener != null) {
      policy.alertListener(listener);
    }
    return policy.build();
  }

  private static Budget budget(String property, LlmTaskProperties.Limit limit, Set<String> knownTasks) {
    if (limit.scope() == null) {
      throw new InvalidLlmTaskPropertyException(property + ".scope", "is required: global, task or tenant");
    }
    if (limit.scope() != BudgetScope.TASK && limit.task() != null) {
      throw new InvalidLlmTaskPropertyException(property + ".task", "is only for scope=task, this budget's scope is "
          + limit.scope().name().toLowerCase(Locale.ROOT) + ": remove it or write scope=task");
    }
    BudgetPeriod period = period(property + ".period", limit.period());
    Budget budget = switch (limit.scope()) {
      case GLOBAL -> Budget.global(period);
      case TENANT -> Budget.perTenant(period);
      case TASK -> {
        String task = limit.task() == null ? null : limit.task().replace('-', '_');
        if (task == null || !knownTasks.contains(task)) {
          throw new InvalidLlmTaskPropertyException(property + ".task", (task == null ? "is required for scope=task"
              : "'" + limit.task() + "' names no task of the generated clients") + "; the tasks are " + knownTasks);
        }
        yield Budget.task(task, period);
      }
    };
    if (limit.maxUsd() == null && limit.maxTokens() == null) {
      throw new InvalidLlmTaskPropertyException(property, "has no limit: set .max-usd, .max-tokens or both");
    }
    if (limit.maxUsd() != null) {
      budget = RuntimeProperties.set(property + ".max-usd", withUsd(budget, limit));
    }
    if (limit.maxTokens() != null) {
      budget = RuntimeProperties.set(property + ".max-tokens", withTokens(budget, limit));
    }
    return budget;
  }

  private static Supplier<Budget> withUsd(Budget budget, LlmTaskProperties.Limit limit) {
    return () -> budget.maxUsd(limit.maxUsd());
  }

  private static Supplier<Budget> withTokens(Budget budget, LlmTaskProperties.Limit limit) {
    return () -> budget.maxTokens(limit.maxTokens());
  }

  private static BudgetPeriod period(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidLlmTaskPropertyException(property, "is required: day or month (calendar, UTC), or a duration"
          + " such as 1h for a rolling window");
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("day")) {
      return BudgetPeriod.DAY;
    }
    if (v.equals("month")) {
      return BudgetPeriod.MONTH;
    }
    Duration window;
    try {
      window = DurationStyle.detectAndParse(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidLlmTaskPropertyException(property, "'" + value + "' is not a period: write day, month, or a"
          + " duration such as 1h or 30m for a rolling window");
    }
    return RuntimeProperties.set(property, () -> BudgetPeriod.rolling(window));
  }
}
