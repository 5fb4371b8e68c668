package dev.llmtask.testkit;

import java.util.Objects;

/**
 * One tool call a scripted model makes ({@link SimulatedReply#toolCalls}).
 *
 * @param name the tool's name
 * @param argumentsJson its arguments, a JSON object sent as written (it need not be valid: script
 *     invalid arguments with it)
 */
public record ScriptedToolCall(String name, String argumentsJson) {
  public ScriptedToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
  }
}
