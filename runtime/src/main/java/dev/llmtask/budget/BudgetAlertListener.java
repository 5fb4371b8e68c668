package dev.llmtask.budget;

/**
 * Told once per budget window and threshold when the window's spend crosses it (a rolling window:
 * again after its spend fell back below). Called on the thread of the call that crossed it: return quickly.
 */
@FunctionalInterface
public interface BudgetAlertListener {
  void thresholdCrossed(BudgetAlert alert);
}
