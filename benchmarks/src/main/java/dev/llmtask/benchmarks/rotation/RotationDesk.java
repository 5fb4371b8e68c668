package dev.llmtask.benchmarks.rotation;

import dev.llmtask.Check;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The llmtask contender: the examples' rotation task, once blocking and once asynchronous. */
@LlmTask(promptVersion = "rotation_decision@2", model = Scenario.MODEL, timeout = "20s", maxRetries = 2)
public interface RotationDesk {

  @SystemPrompt(Scenario.SYSTEM_TEMPLATE)
  @UserPrompt(Scenario.USER_TEMPLATE)
  RotationDecision decideRotation(String question, String accountId, int credentialAgeDays, boolean keyStale,
      String policy, @TraceId String traceId);

  @SystemPrompt(Scenario.SYSTEM_TEMPLATE)
  @UserPrompt(Scenario.USER_TEMPLATE)
  CompletableFuture<RotationDecision> decideRotationAsync(String question, String accountId, int credentialAgeDays,
      boolean keyStale, String policy, @TraceId String traceId);

  /** The examples' business rule: cited lines exist and state the window. */
  @Check
  default List<String> windowMatchesPolicy(RotationDecision decision, String policy) {
    Map<String, String> lines = PolicyLines.parse(policy);
    List<String> violations = new ArrayList<>();
    boolean windowStated = false;
    for (String id : decision.sourceLineIds()) {
      String line = lines.get(id);
      if (line == null) {
        violations.add("source_line_ids cites " + id + ", which is not a line of the supplied policy");
      } else if (line.contains(decision.rotationWindowDays() + "-day")) {
        windowStated = true;
      }
    }
    if (decision.decision() == Decision.ELIGIBLE && !windowStated) {
      violations.add("rotation_window_days " + decision.rotationWindowDays() + " is not the window the cited policy lines state");
    }
    return violations;
  }
}
