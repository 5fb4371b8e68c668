package dev.llmtask.action;

import dev.llmtask.action.ActionFixtures.Job;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run in a child JVM by {@link PostgresActionStoreTest}: claims the key on PostgreSQL, says
 * {@code ACTING} on stdout and hangs inside the action until it is killed (or a minute passes).
 * Arguments: JDBC URL, table, lease in milliseconds.
 */
public final class ClaimAndHold {
  static final String ACTING = "ACTING";

  private ClaimAndHold() {}

  public static void main(String[] args) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(args[0]);
    IdempotentActions actions = IdempotentActions.builder(JdbcActionStore.using(dataSource, args[1]))
        .lease(Duration.ofMillis(Long.parseLong(args[2])))
        .build();
    actions.once(ActionFixtures.ACTION, ActionFixtures.KEY, ActionFixtures.REQUEST, Job.class, () -> {
      System.out.println(ACTING);
      System.out.flush();
      Thread.sleep(60_000);
      return new Job("job_from_the_killed_jvm", "acct_10234");
    });
  }
}
