package dev.llmtask.internal.pipeline;

/**
 * A place to send a call: a provider's registered name and a model, written {@code provider/model}.
 * The text's syntax was checked where it was configured (annotation, options, builder).
 */
record Route(String provider, String model) {

  /** {@code anthropic/claude-3-5-haiku-latest}: the provider before the first slash, the model after it. */
  static Route of(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("a route is written provider/model, was \"" + text + "\"");
    }
    return new Route(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
