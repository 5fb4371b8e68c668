package dev.llmtask.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poller in a child JVM, started with this test's class path, is killed with
 * {@link Process#destroyForcibly()} in the middle of reconciling a batch; another instance takes
 * over once the dead one's lease expires and finishes with no item lost or doubled.
 */
class PollerKilledInChildJvmTest {
  private static BatchFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new BatchFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void aPollerKilledMidReconciliationIsReplacedByAnotherThatFinishesEveryItemOnce() throws Exception {
    fx.sim.batchFaults(0.03, 0.02, 0.01);
    LlmRuntime submitter = fx.openAiRuntime();
    var job = BatchFixture.job(submitter);
    LlmBatches a = fx.batches(submitter, BatchApi.openAi(fx.sim.openAiBaseUrl(), BatchFixture.KEY), job,
        Duration.ofSeconds(3));
    BatchSubmission s = a.submit(job, BatchFixture.tickets(300));

    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KilledPollerMain.class.getName(), fx.postgres.getJdbcUrl("postgres", "postgres"),
        fx.sim.openAiBaseUrl().toString(), "120").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.contains("stuck mid-reconciliation")) {
        // the child's start-up output
      }
      assertThat(line).as("the child poller reached the middle of its reconciliation").isNotNull();
      assertThat(a.progress(s.id()).pending()).isEqualTo(180);
      String leaseOwner = leaseOwner(s.id());
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(leaseOwner).as("the killed poller held the lease").isNotNull().startsWith("llmb-owner-");
      assertThat(leaseOwner(s.id())).isEqualTo(leaseOwner); // a killed process releases nothing
    } finally {
      child.destroyForcibly();
    }

    BatchProgress progress = a.awaitDone(s.id(), Duration.ofSeconds(30), Duration.ofMillis(100));
    assertThat(progress.done()).isTrue();
    assertThat(progress.items()).isEqualTo(300);
    List<BatchOutcome<TicketDesk.Enrichment>> outcomes = a.outcomes(job, s.id());
    assertThat(outcomes).hasSize(300);
    assertThat(outcomes.stream().map(BatchOutcome::key).distinct()).hasSize(300);
    // the child delivered the records of its 120 items before it died; this instance the other 180, each once
    List<CallRecord> records = fx.itemRecords();
    Set<String> traces = new HashSet<>();
    records.forEach(r -> assertThat(traces.add(r.traceId())).isTrue());
    assertThat(records).hasSize(180);
    assertThat(fx.batchRecords()).hasSize(1);
    assertThat(fx.sim.batchesCreated()).isEqualTo(1);
  }

  private static String leaseOwner(String submission) throws Exception {
    try (Connection c = fx.dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT lease_owner FROM llmtask_batch_part WHERE submission = '" + submission + "'")) {
      return r.next() ? r.getString(1) : null;
    }
  }
}
