package dev.llmtask.provider;

/**
 * The provider-specific reading of a server-sent-event stream. Implementations keep the reply's
 * state as events arrive and throw {@link ProviderException} for an error event.
 */
public interface SseEvents {

  /**
   * One event.
   *
   * @param event the {@code event:} name, or {@code null} when the stream sends only {@code data:}
   * @param data the event's data lines joined with newlines
   * @return true when this was the provider's end-of-stream event
   */
  boolean onEvent(String event, String data);

  /**
   * The reply, once {@link #onEvent} has returned true, or once {@link #completeAtClose()} has
   * returned true for a stream the server closed.
   */
  ModelReply reply();

  /**
   * Whether a clean close of the stream here, before the provider's end event, still leaves a
   * complete reply. By default no: a close before the end event is a cut stream.
   */
  default boolean completeAtClose() {
    return false;
  }
}
