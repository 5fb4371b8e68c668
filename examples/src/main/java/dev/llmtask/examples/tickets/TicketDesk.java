package dev.llmtask.examples.tickets;

import dev.llmtask.Cached;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;

/** Turns a customer's message into a structured ticket. */
@LlmTask(promptVersion = "ticket_extraction@1", model = "gpt-4o-mini", timeout = "15s")
public interface TicketDesk {

  @Cached(ttl = "10m") // the same message gives the same ticket: a repeat is answered from the response cache
  @SystemPrompt("Extract a support ticket from the customer's message. Use only facts from the message.")
  @UserPrompt("{{message}}")
  LlmResult<SupportTicket> extractTicket(String message, @TraceId String traceId);
}
