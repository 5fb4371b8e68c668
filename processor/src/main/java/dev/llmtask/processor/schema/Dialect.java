package dev.llmtask.processor.schema;

/** The provider schema dialects the processor writes. */
public enum Dialect {
  /**
   * OpenAI strict {@code json_schema}: object root, every property required,
   * {@code additionalProperties: false}, nullable as a type union; no {@code minLength}/{@code maxLength}
   * (support unverified: enforced at run time by Bean Validation instead).
   */
  OPENAI(false),
  /** Anthropic tool {@code input_schema}: same structure, string length keywords included. */
  ANTHROPIC(true);

  private final boolean stringLengths;

  Dialect(boolean stringLengths) {
    this.stringLengths = stringLengths;
  }

  public boolean stringLengths() {
    return stringLengths;
  }
}
