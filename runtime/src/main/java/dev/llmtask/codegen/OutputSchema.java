package dev.llmtask.codegen;

import java.util.Objects;

/**
 * The JSON Schemas of a task's answer, one per provider dialect, generated at compile time.
 *
 * @param name the schema name sent to the provider (OpenAI {@code json_schema.name}, Anthropic tool name):
 *     the task name, only {@code a-zA-Z0-9_-}, at most 64 chars
 * @param openAi the OpenAI strict {@code json_schema} (every property required, {@code additionalProperties: false},
 *     nullable as a type union)
 * @param anthropic the Anthropic tool {@code input_schema}
 */
public record OutputSchema(String name, String openAi, String anthropic) {
  public OutputSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(openAi, "openAi");
    Objects.requireNonNull(anthropic, "anthropic");
  }
}
