package dev.llmtask;

/**
 * One event of an {@link LlmStream}: {@link Started}, then {@link Delta}s, then exactly one of
 * {@link Completed}, {@link Failed} or {@link Cancelled}.
 *
 * @param <T> the task's answer type
 */
public sealed interface StreamEvent<T> {

  /** The request was accepted; the answer starts arriving. */
  record Started<T>() implements StreamEvent<T> {}

  /**
   * A piece of the answer as generated: JSON text of the answer for structured tasks, plain text for
   * {@code String} tasks. Concatenated, the deltas are the whole answer.
   */
  record Delta<T>(String text) implements StreamEvent<T> {
    /** Shows the delta's length, never its text; {@link #text()} returns it. */
    @Override
    public String toString() {
      return "Delta[text=" + LlmResult.describe(text) + "]";
    }
  }

  /** The answer is complete and passed every check. */
  record Completed<T>(LlmResult<T> result) implements StreamEvent<T> {
    /** Shows the answer's length or type, never the answer; {@link #result()} returns it. */
    @Override
    public String toString() {
      return "Completed[result=" + result + "]";
    }
  }

  /** The call failed; {@code error.status()} says how. */
  record Failed<T>(LlmTaskException error) implements StreamEvent<T> {}

  /** The caller cancelled the stream; {@code record} is its telemetry record. */
  record Cancelled<T>(CallRecord record) implements StreamEvent<T> {}

  /** True for the last event of a stream. */
  default boolean terminal() {
    return this instanceof Completed || this instanceof Failed || this instanceof Cancelled;
  }
}
