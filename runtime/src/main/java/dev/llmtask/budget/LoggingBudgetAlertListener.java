package dev.llmtask.budget;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each alert as a warning on logger {@code dev.llmtask.budget}: the budget, the window, the
 * threshold and the spend, e.g. {@code Budget at 80 %: tenant, day, max $10 (tenant acme), window day
 * 2026-12-02, spent $8.1 and 20250 tokens}. The default listener of a {@link BudgetPolicy}.
 */
public final class LoggingBudgetAlertListener implements BudgetAlertListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.llmtask.budget");

  @Override
  public void thresholdCrossed(BudgetAlert alert) {
    LOG.warn("Budget at {} %: {}{}, window {}, spent ${} and {} tokens", alert.thresholdPercent(), alert.budget(),
        alert.tenant() == null ? "" : " (tenant " + alert.tenant() + ")", alert.window(),
        alert.spent().usd().toPlainString(), alert.spent().tokens());
  }
}
