package dev.llmtask.examples.batch;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.batch.BatchApi;
import dev.llmtask.batch.BatchItem;
import dev.llmtask.batch.BatchItemStatus;
import dev.llmtask.batch.BatchJob;
import dev.llmtask.batch.BatchProgress;
import dev.llmtask.batch.BatchSubmission;
import dev.llmtask.batch.LlmBatches;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * The nightly enrichment of 1,000 support tickets through the OpenAI Batch API, on the simulator and
 * an embedded PostgreSQL: the simulator fails 3 % of the items with a provider error, answers 2 %
 * invalidly (re-asked as synchronous calls) and lets 1 % expire. Prints the outcome counts and the
 * night's cost against what the same tokens cost as synchronous calls.
 */
public final class NightlyEnrichment {
  static final int TICKETS = 1_000;

  private NightlyEnrichment() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the night; returns its progress once every item has its outcome. */
  public static BatchProgress run(PrintStream out) throws Exception {
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    RateCard card = RateCard.illustrative();
    try (LlmSimulator simulator = LlmSimulator.start();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start()) {
      simulator.batchFaults(0.03, 0.02, 0.01);
      LlmRuntime runtime = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(simulator.openAiBaseUrl()).apiKey("sk-simulated").build())
          .rateCard(card)
          .telemetry(records::add)
          .build();
      EnrichmentDesk desk = LlmTasks.create(EnrichmentDesk.class, runtime);
      BatchJob<EnrichmentDesk.Ticket, EnrichmentDesk.Enrichment> enrich = BatchJob.of("ticket-enrichment",
          EnrichmentDesk.Ticket.class, ticket -> desk.enrich(ticket.subject(), ticket.body()));
      LlmBatches batches = LlmBatches.builder()
          .runtime(runtime)
          .dataSource(postgres.getPostgresDatabase())
          .api(BatchApi.openAi(simulator.openAiBaseUrl(), "sk-simulated"))
          .job(enrich)
          .reaskInvalid(true)
          .build()
          .createTablesIfMissing();

      List<BatchItem<EnrichmentDesk.Ticket>> items = IntStream.range(0, TICKETS)
          .mapToObj(i -> new EnrichmentDesk.Ticket("TCK-" + (10_000 + i), "Export " + i + " fails",
              "The nightly CSV export number " + i + " stops with a timeout after ten minutes."))
          .map(t -> BatchItem.of(t.id(), t))
          .toList();
      BatchSubmission submission = batches.submit(enrich, items);
      out.println("Submitted " + submission.items() + " tickets in " + submission.providerBatchIds().size()
          + " provider batch(es)");
      BatchProgress progress = batches.awaitDone(submission.id(), Duration.ofMinutes(5), Duration.ofMillis(50));

      out.println("Outcomes:");
      for (BatchItemStatus status : BatchItemStatus.values()) {
        out.println("  " + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + progress.count(status));
      }
      List<CallRecord> itemRecords = records.stream()
          .filter(r -> r.attributes().containsKey(LlmBatches.BATCH_ITEM_STATUS)).toList();
      BigDecimal batchCost = itemRecords.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal syncCost = itemRecords.stream()
          .map(r -> card.cost(r.model(), r.inputTokens(), r.cachedInputTokens(), r.outputTokens()))
          .reduce(BigDecimal.ZERO, BigDecimal::add);
      out.println("Cost: $" + batchCost.setScale(6, RoundingMode.HALF_UP) + " through the Batch API, $"
          + syncCost.setScale(6, RoundingMode.HALF_UP) + " at the synchronous price (illustrative rates)");
      return progress;
    }
  }
}
