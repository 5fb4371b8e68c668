package dev.llmtask.batch;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.RateCard;
import dev.llmtask.TelemetrySink;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/** One embedded PostgreSQL and one simulator per test class; fresh tables per test. */
final class BatchFixture implements AutoCloseable {
  static final String KEY = "sk-test-batch-key";
  static final RateCard CARD = RateCard.builder()
      .defaultRate(new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6")).build();

  final EmbeddedPostgres postgres;
  final DataSource dataSource;
  final LlmSimulator sim;
  final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());

  BatchFixture() throws IOException {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    dataSource = postgres.getPostgresDatabase();
    sim = LlmSimulator.start();
  }

  /** Drops the tables and forgets the records and the simulator's state. */
  void reset() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS llmtask_batch_item; DROP TABLE IF EXISTS llmtask_batch_part");
    }
    records.clear();
    sim.reset();
  }

  LlmRuntime openAiRuntime(TelemetrySink... more) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(KEY).build())
        .rateCard(CARD).telemetry(records::add);
    for (TelemetrySink s : more) {
      b.telemetry(s);
    }
    return b.build();
  }

  LlmRuntime anthropicRuntime() {
    return LlmRuntime.builder()
        .provider(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey(KEY).build())
        .rateCard(CARD).telemetry(records::add).build();
  }

  static BatchJob<TicketDesk.Ticket, TicketDesk.Enrichment> job(LlmRuntime runtime) {
    TicketDesk desk = LlmTasks.create(TicketDesk.class, runtime);
    return BatchJob.of("ticket-enrichment", TicketDesk.Ticket.class, t -> desk.enrich(t.subject(), t.body()));
  }

  static List<BatchItem<TicketDesk.Ticket>> tickets(int n) {
    return IntStream.range(0, n).mapToObj(i -> BatchItem.of("T-" + i,
        new TicketDesk.Ticket("Ticket " + i, "The export of report " + i + " fails with a timeout."))).toList();
  }

  LlmBatches batches(LlmRuntime runtime, BatchApi api, BatchJob<?, ?> job, Duration lease) {
    return LlmBatches.builder().runtime(runtime).dataSource(dataSource).api(api).job(job).lease(lease).build()
        .createTablesIfMissing();
  }

  List<CallRecord> itemRecords() {
    synchronized (records) {
      return records.stream().filter(r -> r.attributes().containsKey(LlmBatches.BATCH_ITEM_STATUS)).toList();
    }
  }

  List<CallRecord> batchRecords() {
    synchronized (records) {
      return records.stream().filter(r -> r.attributes().containsKey(LlmBatches.BATCH_ITEMS)).toList();
    }
  }

  @Override
  public void close() throws IOException {
    sim.close();
    postgres.close();
  }
}
