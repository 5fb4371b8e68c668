package dev.llmtask.budget;

/**
 * The spend of one budget window crossed an alert threshold. Holds no customer text.
 *
 * @param budget the budget whose window it is
 * @param tenant the tenant of a {@link BudgetScope#TENANT} budget, else {@code null}
 * @param window the period's name, e.g. {@code day 2026-12-02} ({@link BudgetPeriod#windowAt})
 * @param thresholdPercent the threshold crossed, e.g. 80
 * @param spent the window's spend when it crossed (in-flight reservations included)
 */
public record BudgetAlert(Budget budget, String tenant, String window, int thresholdPercent, Spend spent) {}
