package dev.llmtask.examples.rotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.IdempotencyKey;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotNull;

/**
 * The rotation decision with the act step in the model's hands: it decides from the policy and, when
 * the key may rotate, asks for the rotation job with the {@link RotationTools} action. The runtime
 * authorizes the action and runs it once per {@code rotationKey}.
 */
@LlmTask(promptVersion = "rotate_key@1", model = "gpt-4o-mini", timeout = "20s", maxRetries = 0,
    tools = RotationTools.class)
public interface RotationAgent {

  /** What the agent did: its decision and the job it created, if any. */
  record RotationOutcome(@NotNull Decision decision, @JsonProperty("job_id") String jobId) {}

  @SystemPrompt("""
      You are the support assistant of the product Luna. Decide only from the policy lines below whether \
      the stale key may rotate. If it may, create the rotation job with create_rotation_job (the window \
      the policy states, the ids of the lines you used), then answer with the job's id.
      Policy:
      {{policy}}""")
  @UserPrompt("Account {{accountId}}: {{question}}")
  LlmResult<RotationOutcome> rotate(String question, String accountId, String policy,
      @IdempotencyKey String rotationKey, @TraceId String traceId);
}
