package dev.llmtask.action;

import dev.llmtask.action.ActionFixtures.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run in a child JVM by {@link PostgresActionStoreTest}: claims the key, creates the job (a row in
 * the jobs table, the side effect), records the checkpoint, says {@code CREATED} on stdout and
 * hangs before its result is stored until it is killed. Arguments: JDBC URL, table, jobs table,
 * lease in milliseconds.
 */
public final class CreateCheckpointAndHold {
  static final String CREATED = "CREATED";

  private CreateCheckpointAndHold() {}

  public static void main(String[] args) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(args[0]);
    IdempotentActions actions = IdempotentActions.builder(JdbcActionStore.using(dataSource, args[1]))
        .lease(Duration.ofMillis(Long.parseLong(args[3])))
        .build();
    actions.once(ActionFixtures.ACTION, ActionFixtures.KEY, ActionFixtures.REQUEST, Job.class, ctx -> {
      String id = "job_acct_10234_00" + ctx.attempt();
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement("INSERT INTO " + args[2] + " (id, fence) VALUES (?, ?)")) {
        s.setString(1, id);
        s.setLong(2, ctx.fencingToken());
        s.executeUpdate();
      }
      ctx.checkpoint("job created: " + id);
      System.out.println(CREATED);
      System.out.flush();
      Thread.sleep(60_000);
      return new Job(id, "acct_10234");
    });
  }
}
