package dev.llmtask.jobs;

import dev.llmtask.IdempotencyKey;
import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;
import java.util.List;

/** The task calls of the document job: decide what the document is about, then summarise it. */
@LlmTask(promptVersion = "document_triage@1", model = "gpt-4o-mini", timeout = "20s", maxRetries = 0, repairs = 0)
public interface DocumentDesk {
  record Triage(String queue, String priority) {}

  record Summary(String headline, List<String> points) {}

  @UserPrompt("Which queue handles this document? {{text}}")
  Triage triage(String text, @IdempotencyKey String key);

  @UserPrompt("Summarise this document for the queue: {{text}}")
  Summary summarise(String text, @IdempotencyKey String key);
}
