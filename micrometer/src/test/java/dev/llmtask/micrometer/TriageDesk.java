package dev.llmtask.micrometer;

import dev.llmtask.LlmStream;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.concurrent.CompletableFuture;

/** The task the metrics are tested on, declared as a user declares one. */
@LlmTask(promptVersion = "triage@1", model = "gpt-4o-mini", timeout = "30s", maxRetries = 2, repairs = 1)
interface TriageDesk {

  /** The answer: a queue and a priority from 1 to 5. */
  record Triage(@NotBlank String queue, @Min(1) @Max(5) int priority) {}

  @SystemPrompt("Route the support ticket to a queue.")
  @UserPrompt("Ticket: {{ticket}}")
  Triage triage(String ticket, @TraceId String traceId);

  @SystemPrompt("Route the support ticket to a queue.")
  @UserPrompt("Ticket: {{ticket}}")
  CompletableFuture<Triage> triageLater(String ticket, @TraceId String traceId);

  @SystemPrompt("Draft a reply to the support ticket.")
  @UserPrompt("Ticket: {{ticket}}")
  LlmStream<String> draftReply(String ticket, @TraceId String traceId);
}
