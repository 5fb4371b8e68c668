package dev.llmtask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A streamed task call: the answer arrives in pieces, and the final value is decoded and validated
 * like a plain call's (schema, Bean Validation, {@link Check}; no re-ask mid-stream).
 *
 * <pre>
 *   STARTED ──> STREAMING ──> COMPLETED
 *      │            │
 *      └────────────┴──────> FAILED | CANCELLED
 * </pre>
 *
 * Three ways to consume it:
 * <pre>{@code
 * LlmStream<Draft> s = desk.draftReply(ticket, traceId);
 * s.onEvent(e -> { if (e instanceof StreamEvent.Delta<Draft> d) ui.append(d.text()); });  // 1. listen
 * try (Stream<StreamEvent<Draft>> events = s.events()) { events.forEach(...); }           // 2. iterate
 * Draft draft = s.await();                                                                 // 3. just wait
 * }</pre>
 *
 * Exactly one {@link CallRecord} is delivered to telemetry when the stream ends, whatever ends it.
 *
 * @param <T> the task's answer type
 */
public interface LlmStream<T> extends AutoCloseable {

  /** Where the stream is in its life. */
  enum State {
    /** The request was sent; nothing has arrived yet. */
    STARTED,
    /** Pieces of the answer are arriving. */
    STREAMING,
    /** The answer is complete and valid. Terminal. */
    COMPLETED,
    /** The call failed: provider error, timeout, a cut or stalled stream, or an invalid final answer. Terminal. */
    FAILED,
    /** {@link #cancel()} was called. Terminal. */
    CANCELLED;

    /** True for COMPLETED, FAILED and CANCELLED. */
    public boolean terminal() {
      return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
  }

  /** The current state. */
  State state();

  /**
   * Registers a listener for every event from now on; a listener added late first receives the
   * events it missed, in order, so no listener sees a partial history. Listeners run on the
   * thread that reads the stream: keep them short.
   */
  LlmStream<T> onEvent(Consumer<? super StreamEvent<T>> listener);

  /**
   * All events, from {@link StreamEvent.Started} to the terminal one, as a blocking sequential
   * stream. Closing the returned stream before the end cancels the call.
   */
  Stream<StreamEvent<T>> events();

  /** The events as a {@link Flow.Publisher}, for Reactor, RxJava or Mutiny adapters. */
  Flow.Publisher<StreamEvent<T>> publisher();

  /** Completes with the validated value and its record, or fails with {@link LlmTaskException}. */
  CompletableFuture<LlmResult<T>> result();

  /** Waits for the validated value; throws {@link LlmTaskException} on failure or cancellation. */
  T await();

  /** Closes the connection and ends the stream {@link State#CANCELLED}; no effect once terminal. */
  void cancel();

  /** Same as {@link #cancel()} when the stream has not ended. */
  @Override
  default void close() {
    cancel();
  }
}
