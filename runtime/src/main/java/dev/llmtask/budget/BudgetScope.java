package dev.llmtask.budget;

/** What a {@link Budget} counts the spend of. */
public enum BudgetScope {
  /** Every call of the runtime. */
  GLOBAL,
  /** The calls of one task, by its name. */
  TASK,
  /**
   * Each tenant's calls apart, the tenant given by {@link dev.llmtask.CallOptions.Builder#tenant} or by the
   * task method's {@link dev.llmtask.Tenant @Tenant} parameter (the call's options win).
   */
  TENANT
}
