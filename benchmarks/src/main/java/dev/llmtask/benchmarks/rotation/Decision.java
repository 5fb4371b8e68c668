package dev.llmtask.benchmarks.rotation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the key may rotate under the supplied policy. */
public enum Decision {
  @JsonProperty("eligible") ELIGIBLE,
  @JsonProperty("not_eligible") NOT_ELIGIBLE,
  @JsonProperty("not_specified") NOT_SPECIFIED
}
