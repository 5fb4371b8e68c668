package dev.llmtask.provider;

/** Receives a streamed answer as it arrives, on the thread that reads the connection. */
public interface ModelStreamListener {

  /** A piece of the answer's text (JSON text for structured tasks). */
  void onDelta(String text);

  /** Any sign of life on the stream (an event, a keep-alive); resets the idle timer. */
  default void onActivity() {}
}
