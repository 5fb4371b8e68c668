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
  /** Keeps the schemas compact on the wire: the generated code writes them indented, for reading. */
  public OutputSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(openAi, "openAi");
    Objects.requireNonNull(anthropic, "anthropic");
    boolean same = openAi.equals(anthropic);
    openAi = compact(openAi);
    anthropic = same ? openAi : compact(anthropic);
  }

  /** {@code json} without the whitespace between its tokens (whitespace inside strings stays). */
  static String compact(String json) {
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < json.length()) {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.append(c);
      }
    }
    return out.length() == json.length() ? json : out.toString();
  }
}
