package dev.llmtask.tool;

import java.util.Objects;

/**
 * Decides, before each action ({@link Tool#action()}) runs, whether it may: the application's
 * authorization, outside the model's answer. A refusal goes back to the model as the tool's error
 * (with the reason given here) and is recorded as {@link dev.llmtask.CallRecord.ToolOutcome#NOT_AUTHORIZED};
 * the action does not run. Read-only tools are not asked about.
 *
 * <p>It runs on the calling thread, after the arguments were decoded and validated and before the
 * idempotency claim; a replayed action (its result already stored) is asked again, so a revoked
 * permission also stops a replay. An authorizer that throws refuses.
 */
@FunctionalInterface
public interface ToolAuthorizer {

  /** Whether the action described by {@code request} may run. */
  Decision authorize(ActionRequest request);

  /** Allows every action. */
  static ToolAuthorizer allowAll() {
    return request -> Decision.allow();
  }

  /**
   * One action the model asked for.
   *
   * @param task the task name
   * @param tool the tool name, e.g. {@code create_rotation_job}
   * @param idempotencyKey the call's idempotency key
   * @param traceId the call's trace id
   * @param arguments the decoded, validated arguments record ({@code null} for a tool without arguments)
   */
  record ActionRequest(String task, String tool, String idempotencyKey, String traceId, Object arguments) {
    /** Leaves out the arguments (they may hold customer text). */
    @Override
    public String toString() {
      return "ActionRequest[task=" + task + ", tool=" + tool + ", idempotencyKey=" + idempotencyKey + "]";
    }
  }

  /**
   * The decision on one action.
   *
   * @param allowed whether the action may run
   * @param reason why not, sent to the model as the tool's error; never logged or recorded
   */
  record Decision(boolean allowed, String reason) {
    private static final Decision ALLOW = new Decision(true, null);

    public static Decision allow() {
      return ALLOW;
    }

    /** Refuses; {@code reason} is what the model is told (e.g. "rotation jobs need an approved change ticket"). */
    public static Decision deny(String reason) {
      return new Decision(false, Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public String toString() {
      return allowed ? "Decision[allowed]" : "Decision[denied]";
    }
  }
}
