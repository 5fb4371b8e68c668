package dev.llmtask.call;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rotation-decision task written the way the processor generates it, so the runtime can be
 * tested on its own.
 */
final class RotationFixture {
  static final String POLICY = "P-7: stale service-account keys must rotate within a 30-day window.";
  static final String QUESTION = "Can I rotate the stale service-account key of acct_10234?";
  static final String VALID = "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";
  static final String WRONG_WINDOW = "{\"decision\":\"eligible\",\"rotation_window_days\":90,\"source_line_ids\":[\"P-7\"]}";
  static final String OUT_OF_RANGE = "{\"decision\":\"eligible\",\"rotation_window_days\":900,\"source_line_ids\":[\"P-7\"]}";

  enum Decision {
    @JsonProperty("eligible") ELIGIBLE,
    @JsonProperty("not_eligible") NOT_ELIGIBLE,
    @JsonProperty("not_specified") NOT_SPECIFIED
  }

  record RotationDecision(
      @NotNull Decision decision,
      @JsonProperty("rotation_window_days") @Min(0) @Max(365) int rotationWindowDays,
      @JsonProperty("source_line_ids") @NotEmpty List<@NotBlank String> sourceLineIds) {}

  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"decision\":{\"type\":\"string\",\"enum\":[\"eligible\",\"not_eligible\",\"not_specified\"]},"
      + "\"rotation_window_days\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":365},"
      + "\"source_line_ids\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1}},"
      + "\"required\":[\"decision\",\"rotation_window_days\",\"source_line_ids\"],\"additionalProperties\":false}";

  static TaskSpec.Builder<RotationDecision> spec() {
    return TaskSpec.builder("decide_rotation", OutputDecoder.of(RotationDecision.class))
        .declaredBy("dev.llmtask.call.RotationDesk#decideRotation")
        .promptVersion("rotation_decision@2")
        .model("gpt-4o-mini")
        .timeout(Duration.ofSeconds(20))
        .maxRetries(2)
        .repairs(1)
        .schema(new OutputSchema("decide_rotation", SCHEMA, SCHEMA));
  }

  /** The business rule: the window and the cited lines must come from the supplied policy. */
  static List<String> windowMatchesPolicy(RotationDecision d, String policy) {
    List<String> out = new ArrayList<>();
    if (!policy.contains(d.rotationWindowDays() + "-day")) {
      out.add("rotation_window_days " + d.rotationWindowDays() + " is not stated by the policy");
    }
    for (String id : d.sourceLineIds()) {
      if (!policy.contains(id + ":")) {
        out.add("source line " + id + " is not in the policy");
      }
    }
    return out;
  }

  static Invocation<RotationDecision> invocation(String traceId) {
    return Invocation.<RotationDecision>of("Answer only from the policy below.\n" + POLICY, QUESTION)
        .traceId(traceId)
        .check("windowMatchesPolicy", d -> windowMatchesPolicy(d, POLICY));
  }

  private RotationFixture() {}
}
