package dev.llmtask.jobs;

import java.net.URI;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run in a child JVM by {@link JobsOnPostgresTest}: an instance that runs document jobs until it
 * is killed (or two minutes pass). Arguments: JDBC URL, the simulator's OpenAI base URL, the jobs
 * table, the tickets table.
 */
public final class RunJobsInChildJvm {
  static final String STARTED = "STARTED";

  private RunJobsInChildJvm() {}

  public static void main(String[] args) throws InterruptedException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(args[0]);
    DocumentDesk desk = DocumentJob.desk(DocumentJob.runtime(URI.create(args[1]), record -> {}));
    try (LlmJobs jobs = JobsOnPostgresTest.fastJobs(dataSource, args[2])
        .register(DocumentJob.type(desk, dataSource, args[3])).build()) {
      jobs.start();
      System.out.println(STARTED);
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(2).toMillis());
    }
  }
}
