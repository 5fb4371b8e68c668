package dev.llmtask.examples.rotation;

import dev.llmtask.Check;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The support console's rotation question: may this stale key rotate, and within which window? */
@LlmTask(promptVersion = "rotation_decision@2", model = "gpt-4o-mini", timeout = "20s", maxRetries = 2)
public interface RotationDesk {

  @SystemPrompt("""
      You are the support assistant of the product Luna. Decide only from the policy lines below and \
      cite the ids of the lines you used. If the policy does not say, answer not_specified.
      Policy:
      {{policy}}""")
  @UserPrompt("""
      Account {{accountId}}: credential age {{credentialAgeDays}} days, key stale: {{keyStale}}.
      {{question}}""")
  RotationDecision decideRotation(String question, String accountId, int credentialAgeDays, boolean keyStale,
      String policy, @TraceId String traceId);

  /**
   * Business rule: a valid JSON answer is still wrong when it cites a line the policy does not have,
   * or a window the cited lines do not state (a 90-day window when P-7 says 30).
   */
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
