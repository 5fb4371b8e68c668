package dev.llmtask.spring.boot;

/**
 * Start-up failure on a bad {@code llmtask.*} property: names the property and says what to write
 * instead; never echoes an API key.
 */
public final class InvalidLlmTaskPropertyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String property;

  InvalidLlmTaskPropertyException(String property, String problem) {
    super(property + ": " + problem);
    this.property = property;
  }

  /** The property at fault, e.g. {@code llmtask.default-provider}. */
  public String property() {
    return property;
  }
}
