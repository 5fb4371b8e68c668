package dev.llmtask.processor.model;

/** The return shapes of a task method and the {@code TaskSpec} method each one calls. */
public enum CallShape {
  /** {@code T}. */
  VALUE("call"),
  /** {@code LlmResult<T>}. */
  RESULT("callForResult"),
  /** {@code CompletableFuture<T>}. */
  FUTURE("callAsync"),
  /** {@code CompletableFuture<LlmResult<T>>}. */
  FUTURE_RESULT("callForResultAsync"),
  /** {@code LlmStream<T>}. */
  STREAM("stream");

  private final String specMethod;

  CallShape(String specMethod) {
    this.specMethod = specMethod;
  }

  public String specMethod() {
    return specMethod;
  }
}
