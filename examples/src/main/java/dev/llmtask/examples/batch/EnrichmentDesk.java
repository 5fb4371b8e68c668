package dev.llmtask.examples.batch;

import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;

/** Enriches a stored support ticket overnight: a category and a one-line summary. */
@LlmTask(promptVersion = "ticket_enrichment@1", model = "gpt-4o-mini")
public interface EnrichmentDesk {

  /** A ticket as the support console stores it. */
  record Ticket(String id, String subject, String body) {}

  /** What the night adds to it. */
  record Enrichment(@NotBlank String category, @NotBlank String summary) {}

  @SystemPrompt("Classify the support ticket and summarise it in one line. Use only facts from the ticket.")
  @UserPrompt("Subject: {{subject}}\n{{body}}")
  Enrichment enrich(String subject, String body);
}
