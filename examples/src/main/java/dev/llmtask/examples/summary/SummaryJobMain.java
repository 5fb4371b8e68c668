package dev.llmtask.examples.summary;

import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.examples.summary.SummaryDesk.SectionSummary;
import dev.llmtask.jobs.JobId;
import dev.llmtask.jobs.JobProgress;
import dev.llmtask.jobs.JobStatus;
import dev.llmtask.jobs.JobType;
import dev.llmtask.jobs.LlmJobs;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A document summary moved to a background job: submit, poll its progress, fetch the result. The
 * jobs live in an embedded PostgreSQL started for the example; the simulator answers the three
 * section summaries, each after a short delay so that the progress can be watched.
 */
public final class SummaryJobMain {
  /** The job's input: stored as JSON, so any instance can run it. */
  public record SummaryRequest(String documentId, List<String> sections) {}

  /** The job's result, stored as JSON and fetched by the job's id. */
  public record DocumentSummary(String documentId, List<SectionSummary> sections, String archiveId) {}

  static final List<String> SECTIONS = List.of(
      "Rotating a service-account key: create the new key, deploy it, then revoke the old one.",
      "Keys older than 30 days are stale (policy P-7) and are flagged in the console.",
      "CI pipelines read the key from the secret store; update it there, not in the pipeline.");

  private SummaryJobMain() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the example and returns the number of times the archive was written (one). */
  static int run(PrintStream out) throws IOException, InterruptedException {
    out.println("=== a document summary as a background job ===");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        LlmSimulator sim = LlmSimulator.start()) {
      for (int i = 1; i <= SECTIONS.size(); i++) {
        sim.enqueue("summarise_section", SimulatedReply.json("{\"headline\":\"Section " + i + "\",\"points\":[\"point "
            + i + "\"]}").withDelay(Duration.ofMillis(300)));
      }
      DataSource dataSource = postgres.getPostgresDatabase();
      LlmRuntime runtime = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-simulator").build())
          .build();
      SummaryDesk desk = LlmTasks.create(SummaryDesk.class, runtime);
      AtomicInteger archived = new AtomicInteger();

      JobType<SummaryRequest, DocumentSummary> summarise = JobType.of("summarise_document", SummaryRequest.class,
          DocumentSummary.class, (request, job) -> {
            List<SectionSummary> done = new ArrayList<>();
            for (String section : request.sections()) {
              done.add(desk.summariseSection(section, job.idempotencyKey()));
              job.progress(done.size(), request.sections().size());
            }
            // the side effect runs once per job, however often the job runs
            String archiveId = job.once("archive_summary", request.documentId(), String.class, () -> {
              archived.incrementAndGet();
              return "archive_" + request.documentId();
            }).value();
            return new DocumentSummary(request.documentId(), done, archiveId);
          });

      try (LlmJobs jobs = LlmJobs.builder(dataSource).register(summarise).pollingInterval(Duration.ofSeconds(1)).build()) {
        jobs.createTablesIfMissing();
        jobs.start();
        JobId id = jobs.submit(summarise, new SummaryRequest("doc_118", SECTIONS));
        out.println("1. submitted " + id.value().substring(0, 8) + "…, state " + jobs.status(id).state());

        JobStatus status = jobs.status(id);
        JobProgress shown = null;
        while (!status.finished()) {
          JobProgress progress = status.progress();
          if (progress != null && !progress.equals(shown)) {
            out.println("2. " + status.state() + ": " + progress.done() + " of " + progress.total() + " sections");
            shown = progress;
          }
          Thread.sleep(50);
          status = jobs.status(id);
        }
        out.println("3. " + status.state() + " after " + status.attempts() + " attempt(s)");
        DocumentSummary summary = jobs.result(id, summarise);
        summary.sections().forEach(s -> out.println("   " + s.headline() + ": " + s.points()));
        out.println("   filed as " + summary.archiveId() + "; archive writes: " + archived.get());
      }
      return archived.get();
    }
  }
}
