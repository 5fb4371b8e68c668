package dev.llmtask.examples.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Ticket priority; a model answering "urgent" gives a schema failure, not a business one. */
public enum Priority {
  @JsonProperty("low") LOW,
  @JsonProperty("normal") NORMAL,
  @JsonProperty("high") HIGH
}
