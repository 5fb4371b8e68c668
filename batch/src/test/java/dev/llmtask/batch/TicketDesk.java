package dev.llmtask.batch;

import dev.llmtask.Check;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/** The task the batch tests submit, declared as a user declares one. */
@LlmTask(promptVersion = "ticket_enrichment@1", model = "gpt-4o-mini", maxRetries = 0)
public interface TicketDesk {

  /** A ticket as the application stores it. */
  record Ticket(String subject, String body) {}

  /** The answer: a category and a one-line summary. */
  record Enrichment(@NotBlank String category, @NotBlank String summary) {}

  @SystemPrompt("Classify the support ticket and summarise it in one line.")
  @UserPrompt("Subject: {{subject}}\n{{body}}")
  Enrichment enrich(String subject, String body);

  /** A business rule bound to the call's input: the summary must not be the subject repeated. */
  @Check
  default List<String> summaryIsNotTheSubject(Enrichment enrichment, String subject) {
    return enrichment.summary().equals(subject) ? List.of("summary repeats the subject") : List.of();
  }
}
