package dev.llmtask.opentelemetry;

import dev.llmtask.LlmStream;
import dev.llmtask.LlmTask;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.concurrent.CompletableFuture;

/** The task the traces are tested on, declared as a user declares one. */
@LlmTask(promptVersion = "incident_summary@3", model = "gpt-4o-mini", timeout = "30s", maxRetries = 2, repairs = 1)
interface IncidentDesk {

  /** The answer: a headline and a severity from 1 to 3. */
  record Summary(@NotBlank String headline, @Min(1) @Max(3) int severity) {}

  @UserPrompt("Summarise the incident report: {{report}}")
  Summary summarise(String report, @TraceId String traceId);

  @UserPrompt("Summarise the incident report: {{report}}")
  CompletableFuture<Summary> summariseLater(String report, @TraceId String traceId);

  @UserPrompt("Tell the customer what happened: {{report}}")
  LlmStream<String> narrate(String report, @TraceId String traceId);
}
