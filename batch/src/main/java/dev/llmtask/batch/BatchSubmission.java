package dev.llmtask.batch;

import java.util.List;

/**
 * A submission as stored: its id, to poll and read outcomes by, and the provider batches it was
 * split into (one per model and per the API's request-count and file-size limits).
 *
 * @param id the submission id ({@code llmb_…})
 * @param items how many items it has
 * @param providerBatchIds the provider's batch ids, in order
 */
public record BatchSubmission(String id, int items, List<String> providerBatchIds) {
  public BatchSubmission {
    providerBatchIds = List.copyOf(providerBatchIds);
  }
}
