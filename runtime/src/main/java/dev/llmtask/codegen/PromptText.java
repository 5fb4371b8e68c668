package dev.llmtask.codegen;

/** Renders one task argument into prompt text. */
public final class PromptText {
  private PromptText() {}

  /**
   * The text of an argument: the string itself, or {@code String.valueOf} of anything else.
   *
   * @throws NullPointerException naming the parameter (never its value) when the argument is null
   */
  public static String of(String parameterName, Object value) {
    if (value == null) {
      throw new NullPointerException("task parameter '" + parameterName + "' is used in the prompt and must not be null");
    }
    return value instanceof String s ? s : String.valueOf(value);
  }
}
