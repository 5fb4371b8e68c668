package dev.llmtask.httpclient5;

import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.concurrent.CompletableFuture;

/** The task the transport is tested on, declared as a user declares one. */
@LlmTask(promptVersion = "quote@1", model = "gpt-4o-mini", timeout = "2s", maxRetries = 2, repairs = 0)
interface QuoteDesk {

  /** The answer: a plan and a price in cents. */
  record Quote(@NotBlank String plan, @Min(1) int cents) {}

  @SystemPrompt("Quote a plan for the customer.")
  @UserPrompt("Customer: {{customer}}")
  CompletableFuture<Quote> quote(String customer, @TraceId String traceId);
}
