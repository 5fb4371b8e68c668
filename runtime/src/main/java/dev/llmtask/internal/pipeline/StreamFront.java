package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.StreamEvent;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelStreamListener;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What the caller of a streamed call holds: the events in order and the final result. The pipeline
 * runs the call; this only turns what the exchange reports into events. Events are appended under
 * one lock, so whichever thread reports first — the caller's, on which the stream may open, or the
 * one reading the connection, which may already deliver pieces — {@code Started} comes first, the
 * deltas follow in order, and exactly one terminal event comes last.
 */
final class StreamFront<T> implements LlmStream<T>, ModelStreamListener {
  private final CallState<T> state;
  private final ReplayPublisher<StreamEvent<T>> events = new ReplayPublisher<>();
  private final String textProperty;
  private WrappedTextDeltas text; // guarded by this
  private volatile State phase = State.STARTED;
  private boolean started; // guarded by this
  private boolean deltaShown; // guarded by this
  private volatile long deliveredChars; // written only under this

  StreamFront(CallState<T> state) {
    this.state = state;
    this.textProperty = state.spec.decoder().textProperty();
    this.text = textProperty == null ? null : new WrappedTextDeltas(textProperty);
  }

  /**
   * Before a fallback sends the stream to another route: true, with the pieces of the failed route
   * forgotten, when no delta has reached the caller; false once one has (the answer is never
   * continued on another model).
   */
  synchronized boolean restart() {
    if (deltaShown || state.ended()) {
      return false;
    }
    deliveredChars = 0;
    text = textProperty == null ? null : new WrappedTextDeltas(textProperty);
    return true;
  }

  /** The provider accepted the request: the stream begins. */
  synchronized void opened() {
    state.lastActivityNanos = System.nanoTime();
    startOnce();
  }

  private void startOnce() {
    if (!started) {
      started = true;
      events.publish(new StreamEvent.Started<>(), false);
    }
  }

  @Override
  public void onActivity() {
    state.lastActivityNanos = System.nanoTime();
  }

  @Override
  public synchronized void onDelta(String piece) {
    state.lastActivityNanos = System.nanoTime();
    if (state.ended()) {
      return;
    }
    startOnce();
    phase = State.STREAMING;
    deliveredChars += piece.length();
    String shown = text == null ? piece : text.feed(piece);
    if (!shown.isEmpty()) {
      if (!deltaShown) { // time to first delta, for metrics and traces (dev.llmtask.CallRecord#FIRST_DELTA_MS)
        deltaShown = true;
        state.attributes().put(dev.llmtask.CallRecord.FIRST_DELTA_MS,
            Long.toString((System.nanoTime() - state.startNanos) / 1_000_000));
      }
      events.publish(new StreamEvent.Delta<>(shown), false);
    }
  }

  /**
   * A stream cancelled or cut before the provider's usage arrived still cost tokens: estimate them
   * at 4 characters a token, from the delivered text and the prompts (see
   * {@link dev.llmtask.CallRecord#usageEstimated()}); {@code null} to record what the provider reported.
   */
  Usage estimatedUsage(CallStatus status, Usage reported) {
    long delivered = deliveredChars;
    if (status == CallStatus.OK || delivered == 0 || reported.inputTokens() + reported.outputTokens() > 0) {
      return null;
    }
    long promptChars = (state.inv.systemPrompt() == null ? 0 : state.inv.systemPrompt().length())
        + state.inv.userPrompt().length();
    return new Usage(tokensIn(promptChars), tokensIn(delivered), 0);
  }

  private static long tokensIn(long chars) {
    return (chars + 3) / 4;
  }

  /** The call ended with {@code status}; called once, before its result completes. */
  synchronized void ended(CallStatus status, LlmResult<T> value, LlmTaskException failure) {
    phase = switch (status) {
      case OK -> State.COMPLETED;
      case CANCELLED -> State.CANCELLED;
      default -> State.FAILED;
    };
    if (value != null) {
      startOnce(); // an answer from a link (a cache hit) had no stream: still Started first
      events.publish(new StreamEvent.Completed<>(value), true);
    } else if (phase == State.CANCELLED) {
      events.publish(new StreamEvent.Cancelled<>(state.terminal), true);
    } else {
      events.publish(new StreamEvent.Failed<>(failure), true);
    }
  }

  @Override
  public State state() {
    return phase;
  }

  @Override
  public LlmStream<T> onEvent(Consumer<? super StreamEvent<T>> listener) {
    events.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(StreamEvent<T> e) {
        listener.accept(e);
      }

      @Override
      public void onError(Throwable t) { }

      @Override
      public void onComplete() { }
    });
    return this;
  }

  @Override
  public Stream<StreamEvent<T>> events() {
    BlockingQueue<StreamEvent<T>> queue = new LinkedBlockingQueue<>();
    onEvent(queue::add);
    Spliterator<StreamEvent<T>> spliterator = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
        Spliterator.ORDERED | Spliterator.NONNULL) {
      private boolean over;

      @Override
      public boolean tryAdvance(Consumer<? super StreamEvent<T>> action) {
        if (over) {
          return false;
        }
        StreamEvent<T> e;
        try {
          e = queue.take();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          cancel();
          over = true;
          return false;
        }
        over = e.terminal();
        action.accept(e);
        return true;
      }
    };
    return StreamSupport.stream(spliterator, false).onClose(() -> {
      if (!phase.terminal()) {
        cancel();
      }
    });
  }

  @Override
  public Flow.Publisher<StreamEvent<T>> publisher() {
    return events;
  }

  @Override
  public CompletableFuture<LlmResult<T>> result() {
    return state.result.copy();
  }

  @Override
  public T await() {
    return state.awaitResult().value();
  }

  @Override
  public void cancel() {
    state.cancel();
  }

  @Override
  public String toString() {
    return "LlmStream[" + state.spec.name() + " " + phase + "]";
  }
}
