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

  /** The reply, once {@link #onEvent} has returned true. */
  ModelReply reply();
}
