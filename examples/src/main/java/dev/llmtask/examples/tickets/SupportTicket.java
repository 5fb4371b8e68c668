package dev.llmtask.examples.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A support ticket extracted from a customer message. */
public record SupportTicket(
    @JsonProperty("account_id") @NotBlank @Pattern(regexp = "acct_[0-9]+") String accountId,
    @NotNull Priority priority,
    @NotBlank @Size(max = 200) String summary,
    @Size(max = 5) List<@NotBlank String> tags) {}
