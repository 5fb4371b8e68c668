package dev.llmtask.batch;

import java.util.Map;

/**
 * Where a submission stands.
 *
 * @param submissionId the submission
 * @param items how many items it has
 * @param pending items not reconciled yet
 * @param byStatus reconciled items per status (every status present, zero when none)
 * @param providerBatches how many provider batches carry it
 * @param finishedBatches how many of them are reconciled
 */
public record BatchProgress(String submissionId, int items, int pending, Map<BatchItemStatus, Integer> byStatus,
    int providerBatches, int finishedBatches) {
  public BatchProgress {
    byStatus = Map.copyOf(byStatus);
  }

  /** True when every item has its outcome. */
  public boolean done() {
    return pending == 0 && finishedBatches == providerBatches;
  }

  /** The reconciled items with {@code status}. */
  public int count(BatchItemStatus status) {
    return byStatus.getOrDefault(status, 0);
  }
}
