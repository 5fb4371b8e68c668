package dev.llmtask.budget;

/**
 * What budgets do with a call to a model the {@link dev.llmtask.RateCard} has no price for. There is
 * no silent pass: pick one.
 */
public enum UnpricedModelRule {
  /** The attempt is refused with {@code BUDGET_EXCEEDED} while any budget applies to it (the default). */
  REFUSE,
  /** The attempt counts against token limits only; its USD spend is unknown and counted as zero. */
  COUNT_TOKENS_ONLY
}
