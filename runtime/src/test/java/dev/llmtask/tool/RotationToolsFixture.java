package dev.llmtask.tool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.codegen.ToolSet;
import dev.llmtask.codegen.ToolSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * A task with a read-only tool and an action, written the way the processor generates them, so the
 * tool loop can be tested on the runtime alone.
 */
final class RotationToolsFixture {
  interface RotationTools {
    @Tool("Looks up the account's stale key")
    KeyInfo lookupKey(KeyQuery query);

    @Tool(value = "Creates the rotation job of an account", action = true)
    RotationJob createRotationJob(JobRequest request);
  }

  record KeyQuery(@JsonProperty("account_id") @NotBlank String accountId) {}

  record KeyInfo(@JsonProperty("key_id") String keyId, @JsonProperty("age_days") int ageDays) {}

  record JobRequest(@JsonProperty("account_id") @NotBlank String accountId,
      @JsonProperty("window_days") @Min(1) @Max(365) int windowDays) {}

  record RotationJob(String id) {}

  record Answer(String decision, @JsonProperty("job_id") String jobId) {}

  static final String KEY_QUERY_SCHEMA = "{\"type\":\"object\",\"properties\":{\"account_id\":{\"type\":\"string\"}},"
      + "\"required\":[\"account_id\"],\"additionalProperties\":false}";
  static final String JOB_REQUEST_SCHEMA = "{\"type\":\"object\",\"properties\":{\"account_id\":{\"type\":\"string\"},"
      + "\"window_days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":365}},"
      + "\"required\":[\"account_id\",\"window_days\"],\"additionalProperties\":false}";
  static final String ANSWER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"decision\":{\"type\":\"string\"},"
      + "\"job_id\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"decision\",\"job_id\"],\"additionalProperties\":false}";

  static final ToolSet<RotationTools> TOOLS = ToolSet.of(RotationTools.class,
      new ToolSpec<RotationTools, KeyQuery>("lookup_key", "Looks up the account's stale key", false,
          new OutputSchema("lookup_key", KEY_QUERY_SCHEMA, KEY_QUERY_SCHEMA), OutputDecoder.of(KeyQuery.class),
          (tools, args) -> tools.lookupKey(args)),
      new ToolSpec<RotationTools, JobRequest>("create_rotation_job", "Creates the rotation job of an account", true,
          new OutputSchema("create_rotation_job", JOB_REQUEST_SCHEMA, JOB_REQUEST_SCHEMA),
          OutputDecoder.of(JobRequest.class), (tools, args) -> tools.createRotationJob(args)));

  static final String KEY = "rotate_acct_10234_2026_11";
  static final String LOOKUP = "{\"account_id\":\"acct_10234\"}";
  static final String CREATE = "{\"account_id\":\"acct_10234\",\"window_days\":30}";
  static final String ANSWER = "{\"decision\":\"rotation_scheduled\",\"job_id\":\"job_acct_10234_001\"}";

  static TaskSpec.Builder<Answer> spec() {
    return TaskSpec.builder("rotate_key", OutputDecoder.of(Answer.class))
        .declaredBy("dev.llmtask.tool.RotationDesk#rotateKey")
        .promptVersion("rotate_key@1")
        .model("gpt-4o-mini")
        .timeout(Duration.ofSeconds(20))
        .maxRetries(0)
        .schema(new OutputSchema("rotate_key", ANSWER_SCHEMA, ANSWER_SCHEMA))
        .tools(TOOLS);
  }

  static Invocation<Answer> invocation(String key) {
    return Invocation.<Answer>of("Rotate stale keys when the policy allows it.", "Rotate the stale key of acct_10234.")
        .traceId("trace_acct_10234_01").idempotencyKey(key);
  }

  private RotationToolsFixture() {}
}
