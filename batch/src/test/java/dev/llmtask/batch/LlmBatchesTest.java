package dev.llmtask.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.testkit.RecordedRequest;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batch submission, polling and reconciliation on embedded PostgreSQL and the loopback simulator. */
class LlmBatchesTest {
  private static final Duration NO_WAIT = Duration.ZERO;
  private static BatchFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new BatchFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @BeforeEach
  void fresh() throws SQLException {
    fx.reset();
  }

  private BatchApi openAi() {
    return BatchApi.openAi(fx.sim.openAiBaseUrl(), BatchFixture.KEY);
  }

  @Test
  void aThousandItemsWithProviderErrorsInvalidAnswersAndExpiryReconcileToAThousandNamedOutcomes() throws Exception {
    fx.sim.batchFaults(0.03, 0.02, 0.01);
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, openAi(), job, Duration.ofMinutes(1));

    BatchSubmission submission = batches.submit(job, BatchFixture.tickets(1000));
    assertThat(submission.providerBatchIds()).hasSize(1);
    BatchProgress progress = batches.awaitDone(submission.id(), Duration.ofSeconds(60), NO_WAIT);

    assertThat(progress.done()).isTrue();
    assertThat(progress.items()).isEqualTo(1000);
    assertThat(progress.pending()).isZero();
    int ok = progress.count(BatchItemStatus.SUCCEEDED);
    int errors = progress.count(BatchItemStatus.PROVIDER_ERROR);
    int invalid = progress.count(BatchItemStatus.INVALID_OUTPUT);
    int expired = progress.count(BatchItemStatus.EXPIRED);
    assertThat(ok + errors + invalid + expired).isEqualTo(1000);
    assertThat(progress.count(BatchItemStatus.CANCELLED)).isZero();
    // the seeded rates: 3 %, 2 %, 1 % of 1,000, within sampling noise
    assertThat(errors).isBetween(15, 50);
    assertThat(invalid).isBetween(8, 35);
    assertThat(expired).isBetween(3, 20);

    List<BatchOutcome<TicketDesk.Enrichment>> outcomes = batches.outcomes(job, submission.id());
    assertThat(outcomes).hasSize(1000);
    assertThat(outcomes.stream().map(BatchOutcome::key).collect(Collectors.toSet())).hasSize(1000)
        .contains("T-0", "T-999");
    Map<BatchItemStatus, Long> counted = outcomes.stream()
        .collect(Collectors.groupingBy(BatchOutcome::status, Collectors.counting()));
    assertThat(counted).containsEntry(BatchItemStatus.SUCCEEDED, (long) ok)
        .containsEntry(BatchItemStatus.PROVIDER_ERROR, (long) errors)
        .containsEntry(BatchItemStatus.INVALID_OUTPUT, (long) invalid)
        .containsEntry(BatchItemStatus.EXPIRED, (long) expired);
    for (BatchOutcome<TicketDesk.Enrichment> o : outcomes) {
      if (o.succeeded()) {
        assertThat(o.value().category()).isNotBlank();
        assertThat(o.reason()).isNull();
      } else {
        assertThat(o.value()).isNull();
        assertThat(o.reason()).isNotBlank();
      }
    }
    assertThat(outcomes.stream().filter(o -> o.status() == BatchItemStatus.INVALID_OUTPUT))
        .allSatisfy(o -> assertThat(o.reason()).contains("category"));
    assertThat(outcomes.stream().filter(o -> o.status() == BatchItemStatus.PROVIDER_ERROR))
        .allSatisfy(o -> assertThat(o.reason()).isEqualTo("HTTP 500 provider_error (server_error)"));

    // one record per item, one per provider batch; the batch price is half the rate card's
    List<CallRecord> items = fx.itemRecords();
    assertThat(items).hasSize(1000);
    assertThat(items.stream().map(CallRecord::traceId).collect(Collectors.toSet())).hasSize(1000);
    assertThat(items.stream().filter(r -> r.status() == CallStatus.OK)).hasSize(ok);
    assertThat(items.stream().filter(r -> r.status() == CallStatus.TIMEOUT)).hasSize(expired);
    for (CallRecord r : items) {
      assertThat(r.task()).isEqualTo("enrich");
      assertThat(r.promptVersion()).isEqualTo("ticket_enrichment@1");
      assertThat(r.model()).isEqualTo("gpt-4o-mini");
      assertThat(r.attributes()).containsEntry(LlmBatches.BATCH_ID, submission.providerBatchIds().get(0));
      BigDecimal full = BatchFixture.CARD.cost("gpt-4o-mini", r.inputTokens(), r.cachedInputTokens(), r.outputTokens());
      assertThat(r.costUsd()).isEqualByComparingTo(full.multiply(new BigDecimal("0.5")));
    }
    assertThat(items.stream().filter(r -> r.status() == CallStatus.OK)).allSatisfy(r -> assertThat(r.inputTokens()).isPositive());
    List<CallRecord> batch = fx.batchRecords();
    assertThat(batch).hasSize(1);
    assertThat(batch.get(0).status()).isEqualTo(CallStatus.TIMEOUT); // an expired item means the batch expired
    assertThat(batch.get(0).attributes()).containsEntry(LlmBatches.BATCH_ITEMS, "1000")
        .containsEntry("batch_succeeded", Integer.toString(ok));
    BigDecimal sum = items.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(batch.get(0).costUsd()).isEqualByComparingTo(sum);
    assertThat(batch.get(0).inputTokens()).isEqualTo(items.stream().mapToLong(CallRecord::inputTokens).sum());

    // no customer text reached the records
    for (CallRecord r : fx.records) {
      assertThat(r.toLogLine()).doesNotContain("export of report").doesNotContain(BatchFixture.KEY);
    }
  }

  @Test
  void eachLineIsTheRequestASynchronousCallSends() throws Exception {
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, openAi(), job, Duration.ofMinutes(1));
    TicketDesk.Ticket ticket = new TicketDesk.Ticket("Login", "Cannot log in since Monday.");

    LlmTasks.create(TicketDesk.class, runtime).enrich(ticket.subject(), ticket.body());
    RecordedRequest sync = fx.sim.requests().get(0);
    BatchSubmission s = batches.submit(job, List.of(BatchItem.of("A-1", ticket)));
    batches.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);

    RecordedRequest upload = fx.sim.requests().stream().filter(r -> r.path().equals("/v1/files")).findFirst().orElseThrow();
    assertThat(upload.body()).contains("\"custom_id\":\"i0\"").contains("\"url\":\"/v1/chat/completions\"")
        .contains("\"body\":" + sync.body());
    RecordedRequest item = fx.sim.requests().stream()
        .filter(r -> r.path().equals("/v1/chat/completions")).skip(1).findFirst().orElseThrow();
    assertThat(item.json()).isEqualTo(sync.json());
    assertThat(fx.sim.requests().stream().filter(r -> r.path().startsWith("/v1/")))
        .allSatisfy(r -> assertThat(r.headers().toString()).doesNotContain(BatchFixture.KEY));
  }

  @Test
  void invalidAnswersAreReaskedAsSynchronousCallsWhenConfigured() throws Exception {
    fx.sim.batchFaults(0, 0.3, 0);
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = LlmBatches.builder().runtime(runtime).dataSource(fx.dataSource).api(openAi()).job(job)
        .reaskInvalid(true).build().createTablesIfMissing();

    BatchSubmission s = batches.submit(job, BatchFixture.tickets(60));
    BatchProgress progress = batches.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);

    assertThat(progress.count(BatchItemStatus.SUCCEEDED)).isEqualTo(60);
    List<BatchOutcome<TicketDesk.Enrichment>> outcomes = batches.outcomes(job, s.id());
    long reasked = outcomes.stream().filter(BatchOutcome::reasked).count();
    assertThat(reasked).isBetween(8L, 30L);
    // each re-ask is one synchronous turn carrying the invalid answer and the violations
    List<RecordedRequest> reasks = fx.sim.requests().stream().filter(r -> r.path().equals("/v1/chat/completions"))
        .filter(r -> r.json().path("messages").size() == 4).toList();
    assertThat(reasks).hasSize((int) reasked);
    assertThat(reasks.get(0).json().path("messages").get(3).path("content").asText())
        .contains("Your previous answer was rejected");
    List<CallRecord> reaskedRecords = fx.itemRecords().stream()
        .filter(r -> "true".equals(r.attributes().get("batch_reasked"))).toList();
    assertThat(reaskedRecords).hasSize((int) reasked).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(CallStatus.OK);
      assertThat(r.attempts()).isEqualTo(2);
    });
  }

  @Test
  void invalidAnswersEndInvalidWithoutReask() throws Exception {
    fx.sim.batchFaults(0, 1, 0);
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, openAi(), job, Duration.ofMinutes(1));
    BatchSubmission s = batches.submit(job, BatchFixture.tickets(5));
    BatchProgress progress = batches.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.count(BatchItemStatus.INVALID_OUTPUT)).isEqualTo(5);
    assertThat(fx.itemRecords()).allSatisfy(r -> assertThat(r.status()).isEqualTo(CallStatus.INVALID_OUTPUT));
  }

  @Test
  void largeInputIsSplitByTheApiRequestAndByteLimits() throws Exception {
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches byCount = fx.batches(runtime, openAi().limits(40, 1_000_000), job, Duration.ofMinutes(1));
    BatchSubmission s = byCount.submit(job, BatchFixture.tickets(100));
    assertThat(s.providerBatchIds()).hasSize(3).doesNotHaveDuplicates();
    BatchProgress progress = byCount.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.count(BatchItemStatus.SUCCEEDED)).isEqualTo(100);
    assertThat(progress.providerBatches()).isEqualTo(3);
    assertThat(fx.batchRecords()).extracting(r -> r.attributes().get(LlmBatches.BATCH_ITEMS))
        .containsExactlyInAnyOrder("40", "40", "20");

    int lineBytes = fx.sim.requests().stream().filter(r -> r.path().equals("/v1/files")).findFirst().orElseThrow()
        .body().lines().filter(l -> l.contains("\"custom_id\":\"i0\"")).findFirst().orElseThrow().length() + 1;
    LlmBatches bySize = fx.batches(runtime, openAi().limits(50_000, lineBytes * 10L + 5), job, Duration.ofMinutes(1));
    BatchSubmission bytes = bySize.submit(job, BatchFixture.tickets(25));
    assertThat(bytes.providerBatchIds()).hasSizeGreaterThanOrEqualTo(3);

    LlmBatches tiny = fx.batches(runtime, openAi().limits(10, 100), job, Duration.ofMinutes(1));
    assertThatThrownBy(() -> tiny.submit(job, BatchFixture.tickets(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("T-0").hasMessageContaining("more than one batch");
    assertThatThrownBy(() -> openAi().limits(50_001, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50000");
  }

  @Test
  void repeatedKeysAreRefusedBeforeAnythingIsStored() {
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, openAi(), job, Duration.ofMinutes(1));
    TicketDesk.Ticket t = new TicketDesk.Ticket("a", "b");
    assertThatThrownBy(() -> batches.submit(job, List.of(BatchItem.of("K", t), BatchItem.of("K", t))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K appears twice");
    assertThat(fx.sim.batchesCreated()).isZero();
  }

  @Test
  void aCancelledBatchEndsItsUnfinishedItemsCancelled() throws Exception {
    fx.sim.batchPollsPerStatus(50); // stays validating until cancelled
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, openAi(), job, Duration.ofMinutes(1));
    BatchSubmission s = batches.submit(job, BatchFixture.tickets(10));
    batches.poll();
    batches.cancel(s.id());
    fx.sim.batchPollsPerStatus(1);
    BatchProgress progress = batches.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.count(BatchItemStatus.SUCCEEDED)).isEqualTo(5); // the simulator ran the first half
    assertThat(progress.count(BatchItemStatus.CANCELLED)).isEqualTo(5);
    assertThat(fx.batchRecords()).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.CANCELLED);
  }

  @Test
  void anthropicMessageBatchesServeTheSameApi() throws Exception {
    fx.sim.batchFaults(0.1, 0.1, 0.1);
    LlmRuntime runtime = fx.anthropicRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, BatchApi.anthropic(fx.sim.anthropicBaseUrl(), BatchFixture.KEY), job,
        Duration.ofMinutes(1));
    BatchSubmission s = batches.submit(job, BatchFixture.tickets(200));
    BatchProgress progress = batches.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.done()).isTrue();
    assertThat(progress.items() - progress.pending()).isEqualTo(200);
    assertThat(progress.count(BatchItemStatus.SUCCEEDED)).isBetween(115, 165);
    assertThat(progress.count(BatchItemStatus.PROVIDER_ERROR)).isBetween(8, 35);
    assertThat(progress.count(BatchItemStatus.INVALID_OUTPUT)).isBetween(8, 35);
    assertThat(progress.count(BatchItemStatus.EXPIRED)).isBetween(8, 35);
    assertThat(batches.outcomes(job, s.id()).stream().filter(BatchOutcome::succeeded))
        .allSatisfy(o -> assertThat(o.value().summary()).isNotBlank());
    RecordedRequest create = fx.sim.requests().stream().filter(r -> r.path().equals("/v1/messages/batches"))
        .findFirst().orElseThrow();
    assertThat(create.json().path("requests").get(0).path("custom_id").asText()).isEqualTo("i0");
    assertThat(create.json().path("requests").get(0).path("params").path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(fx.itemRecords()).hasSize(200).allSatisfy(r -> assertThat(r.provider()).isEqualTo("anthropic"));
  }

  @Test
  void aJobThatCallsNoTaskMethodIsRefusedSayingWhatItMustDo() {
    LlmRuntime runtime = fx.openAiRuntime();
    BatchJob<TicketDesk.Ticket, String> notATask = BatchJob.of("not-a-task", TicketDesk.Ticket.class,
        TicketDesk.Ticket::subject);
    LlmBatches batches = fx.batches(runtime, openAi(), notATask, Duration.ofMinutes(1));
    assertThatThrownBy(() -> batches.submit(notATask, BatchFixture.tickets(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("made no task call")
        .hasMessageContaining("LlmTasks.create");
    assertThat(fx.sim.requests()).isEmpty();
  }

  @Test
  void aBatchApiOfAnotherProviderIsRefusedNamingWhatToUse() {
    LlmRuntime runtime = fx.openAiRuntime();
    var job = BatchFixture.job(runtime);
    LlmBatches batches = fx.batches(runtime, BatchApi.anthropic(fx.sim.anthropicBaseUrl(), BatchFixture.KEY), job,
        Duration.ofMinutes(1));
    assertThatThrownBy(() -> batches.submit(job, BatchFixture.tickets(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BatchApi.openAi for OpenAiProvider");
  }

  @Test
  void aPollerThatDiesHoldingTheLeaseIsReplacedOnceTheLeaseExpiresWithNoItemLostOrDoubled() throws Exception {
    fx.sim.batchFaults(0.03, 0.02, 0.01);
    LlmRuntime runtimeA = fx.openAiRuntime();
    var jobA = BatchFixture.job(runtimeA);
    LlmBatches a = fx.batches(runtimeA, openAi(), jobA, Duration.ofMillis(400));
    BatchSubmission s = a.submit(jobA, BatchFixture.tickets(300));
    a.poll(); // in_progress

    // instance A dies while polling: its lease row stays behind, held and unexpired
    setLease(s.id(), "dead-instance", 400);
    LlmRuntime runtimeB = fx.openAiRuntime();
    var jobB = BatchFixture.job(runtimeB);
    LlmBatches b = fx.batches(runtimeB, openAi(), jobB, Duration.ofSeconds(30));
    long retrievesBefore = retrieves();
    assertThat(b.poll()).isZero();
    assertThat(retrieves()).isEqualTo(retrievesBefore); // B left A's batch alone while the lease held

    Thread.sleep(500);
    BatchProgress progress = b.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.done()).isTrue();
    assertThat(progress.items()).isEqualTo(300);
    assertExactlyOnce(s.id(), b, jobB, 300);
  }

  @Test
  void aPollerKilledMidReconciliationIsReplacedWithNoItemLostOrDoubled() throws Exception {
    fx.sim.batchFaults(0.03, 0.02, 0.01);
    int[] delivered = {0};
    LlmRuntime runtimeA = fx.openAiRuntime(r -> {
      if (r.attributes().containsKey(LlmBatches.BATCH_ITEM_STATUS) && ++delivered[0] == 120) {
        throw new Killed(); // the process ends here: 120 items reconciled, the rest not
      }
    });
    var jobA = BatchFixture.job(runtimeA);
    LlmBatches a = fx.batches(runtimeA, openAi(), jobA, Duration.ofMinutes(1));
    BatchSubmission s = a.submit(jobA, BatchFixture.tickets(300));
    assertThatThrownBy(() -> a.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT)).isInstanceOf(Killed.class);
    assertThat(a.progress(s.id()).pending()).isEqualTo(180);
    setLease(s.id(), "killed-instance", -1); // the lease it left behind has expired

    LlmRuntime runtimeB = fx.openAiRuntime();
    var jobB = BatchFixture.job(runtimeB);
    LlmBatches b = fx.batches(runtimeB, openAi(), jobB, Duration.ofMinutes(1));
    BatchProgress progress = b.awaitDone(s.id(), Duration.ofSeconds(30), NO_WAIT);
    assertThat(progress.done()).isTrue();
    assertExactlyOnce(s.id(), b, jobB, 300);
  }

  /** Every item has one outcome and one record, none twice; exactly one batch record. */
  private static void assertExactlyOnce(String submission, LlmBatches batches, BatchJob<?, TicketDesk.Enrichment> job,
      int n) {
    List<BatchOutcome<TicketDesk.Enrichment>> outcomes = batches.outcomes(job, submission);
    assertThat(outcomes).hasSize(n);
    assertThat(outcomes.stream().map(BatchOutcome::key).collect(Collectors.toSet())).hasSize(n);
    List<CallRecord> items = fx.itemRecords();
    Set<String> traces = new HashSet<>();
    for (CallRecord r : items) {
      assertThat(traces.add(r.traceId())).as("record of %s delivered twice", r.traceId()).isTrue();
    }
    assertThat(items).hasSize(n);
    Map<String, Long> statuses = items.stream().collect(Collectors.groupingBy(
        r -> r.attributes().get(LlmBatches.BATCH_ITEM_STATUS), Collectors.counting()));
    Map<String, Long> fromOutcomes = outcomes.stream().collect(Collectors.groupingBy(
        o -> o.status().name().toLowerCase(java.util.Locale.ROOT), Collectors.counting()));
    assertThat(statuses).isEqualTo(fromOutcomes);
    assertThat(fx.batchRecords()).hasSize(1);
    assertThat(fx.sim.batchesCreated()).isEqualTo(1);
  }

  private static long retrieves() {
    return fx.sim.requests().stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/batches/")).count();
  }

  private static void setLease(String submission, String owner, long millisFromNow) throws SQLException {
    try (Connection c = fx.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE llmtask_batch_part SET lease_owner = '" + owner + "', lease_until = clock_timestamp() + "
          + millisFromNow + " * interval '1 millisecond' WHERE submission = '" + submission + "'");
    }
  }

  /** Stands for the end of a process: not an exception any layer handles. */
  private static final class Killed extends Error {
    Killed() {
      super("killed");
    }
  }
}
