package com.example;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;

/** Ticket extraction: nested records, a record used twice, Optional, List and Javadoc descriptions. */
@LlmTask(promptVersion = "ticket_extraction@1", model = "gpt-4o-mini", timeout = "15s")
public interface TicketDesk {
  enum Priority {
    @JsonProperty("low") LOW,
    @JsonProperty("normal") NORMAL,
    @JsonProperty("high") HIGH
  }

  /**
   * Someone named in the message.
   *
   * @param name the person's name as written
   * @param email their address, when the message gives one
   */
  record Person(@NotBlank String name, Optional<String> email) {}

  /**
   * A support ticket extracted from a customer message.
   *
   * @param accountId the account the message is about
   */
  record SupportTicket(
      @JsonProperty("account_id") @Pattern(regexp = "acct_[0-9]+") String accountId,
      Priority priority,
      @NotBlank @Size(max = 200) String summary,
      Person reporter,
      Optional<Person> assignee,
      @Size(max = 5) List<@NotBlank String> tags) {}

  @SystemPrompt("Extract a support ticket from the customer's message. Use only facts from the message.")
  @UserPrompt("{{message}}")
  LlmResult<SupportTicket> extractTicket(String message, @TraceId String traceId);

  @UserPrompt("List every ticket in this thread:\n{{thread}}")
  List<SupportTicket> extractTickets(String thread);
}
