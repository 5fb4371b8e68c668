package dev.llmtask.jobs;

import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.jobs.DocumentDesk.Summary;
import dev.llmtask.jobs.DocumentDesk.Triage;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.SimulatedReply;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The job the tests run, on the parent JVM and on child JVMs alike: triage a document (a task
 * call), open a ticket for it once (an action: a row in the tickets table), then summarise it (a
 * second task call), reporting progress after each step.
 */
final class DocumentJob {
  record Document(String documentId, String text) {}

  record Ticket(String ticketId, String queue) {}

  record Outcome(String ticketId, String queue, Summary summary) {}

  static final String TRIAGE = "{\"queue\":\"billing\",\"priority\":\"high\"}";
  static final String SUMMARY = "{\"headline\":\"Invoice 4471 was charged twice\","
      + "\"points\":[\"two charges on 2026-11-03\",\"refund requested\"]}";
  static final Summary EXPECTED = new Summary("Invoice 4471 was charged twice",
      java.util.List.of("two charges on 2026-11-03", "refund requested"));
  /** Customer text: it must reach no status, exception or log line. */
  static final String TEXT = "Hi, this is Dana Whitfield (card ending 4242): invoice 4471 was charged twice.";

  private DocumentJob() {}

  static SimulatedReply triage() {
    return SimulatedReply.json(TRIAGE);
  }

  static SimulatedReply summary() {
    return SimulatedReply.json(SUMMARY);
  }

  static LlmRuntime runtime(URI openAiBaseUrl, dev.llmtask.TelemetrySink sink) {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(openAiBaseUrl).apiKey("sk-test-not-a-real-key").build())
        .telemetry(sink)
        .build();
  }

  /** The job type; {@code tickets} is the table the action writes to (the side effect counted by the tests). */
  static JobType<Document, Outcome> type(DocumentDesk desk, DataSource dataSource, String tickets) {
    return JobType.of("triage_document", Document.class, Outcome.class, (document, job) -> {
      Triage triage = desk.triage(document.text(), job.idempotencyKey());
      job.progress(1, 2);
      Ticket ticket = job.once("open_ticket", document.documentId(), Ticket.class,
          () -> openTicket(dataSource, tickets, job.id(), triage.queue())).value();
      Summary summary = desk.summarise(document.text(), job.idempotencyKey());
      job.progress(2, 2);
      return new Outcome(ticket.ticketId(), ticket.queue(), summary);
    });
  }

  static DocumentDesk desk(LlmRuntime runtime) {
    return LlmTasks.create(DocumentDesk.class, runtime);
  }

  static void createTicketsTable(DataSource dataSource, String tickets) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + tickets + " (ticket_id serial PRIMARY KEY, job_id varchar(64) NOT NULL,"
          + " queue varchar(32) NOT NULL)");
    }
  }

  static int tickets(DataSource dataSource, String tickets, JobId job) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + tickets + " WHERE job_id = ?")) {
      ps.setString(1, job.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Ticket openTicket(DataSource dataSource, String tickets, JobId job, String queue) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + tickets + " (job_id, queue) VALUES (?, ?)"
            + " RETURNING ticket_id")) {
      ps.setString(1, job.value());
      ps.setString(2, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Ticket("tkt_" + rs.getInt(1), queue);
      }
    }
  }
}
