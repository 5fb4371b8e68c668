package dev.llmtask.internal.call;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.StreamEvent;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.JsonDecoders;
import dev.llmtask.internal.output.OutputValidator.Verdict;
import dev.llmtask.internal.output.WrappedTextDeltas;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelStream;
import dev.llmtask.provider.ModelStreamListener;
import java.util.List;
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
 * One streamed task call. Opening the stream is retried like a plain call (nothing has reached the
 * caller yet); once events flow, a failure is final. The runtime's ticker ends a stream that stalls
 * longer than the idle timeout or outlives the deadline; the final answer is checked like a plain
 * call's, without re-asks.
 */
final class StreamRun<T> extends CallLifecycle<T> implements LlmStream<T>, ModelStreamListener {
  private final ReplayPublisher<StreamEvent<T>> events = new ReplayPublisher<>();
  private final WrappedTextDeltas text;
  private volatile State state = State.STARTED;
  private volatile ModelStream stream;
  private volatile CompletableFuture<ModelStream> opening;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile long deliveredChars; // written only by the stream's delivering thread

  StreamRun(TaskExecutor executor, TaskSpec<T> spec, Invocation<T> inv) {
    super(executor, spec, inv);
    this.text = spec.decoder() instanceof JsonDecoders.TextDecoder<?> td ? new WrappedTextDeltas(td.property()) : null;
  }

  StreamRun<T> start() {
    if (policy.model() == null) {
      fail(CallStatus.BAD_REQUEST, NO_MODEL, null);
      return this;
    }
    ModelRequest request = new ModelRequest(spec.name(), policy.model(), inv.systemPrompt(), inv.userPrompt(),
        spec.schema(), List.of(), 0, executor.settings().maxOutputTokens());
    startDeadline();
    CompletableFuture<ModelStream> open = this.<ModelStream>turnPolicies().getStageAsync(ctx -> {
      attempts.incrementAndGet();
      ModelStream s = executor.settings().provider().stream(request.withRetryCount(ctx.getAttemptCount()),
          attemptLimit(remainingNanos()), this);
      ctx.onCancel(s::cancel);
      return s.opened().thenApply(v -> s);
    });
    opening = open;
    open.whenComplete((s, failure) -> {
      if (failure != null) {
        failWith(failure);
      } else {
        opened(s);
      }
    });
    return this;
  }

  private void opened(ModelStream s) {
    stream = s;
    if (ended()) {
      s.cancel();
      return;
    }
    lastActivityNanos = System.nanoTime();
    events.publish(new StreamEvent.Started<>(), false);
    s.finished().whenComplete((reply, failure) -> {
      if (failure != null) {
        failWith(failure);
      } else {
        finished(reply);
      }
    });
  }

  /** Besides the deadline, ends an open stream that went quiet for longer than the idle timeout. */
  @Override
  void onTick(long now) {
    super.onTick(now);
    if (stream != null && now - lastActivityNanos > executor.settings().streamIdleTimeout().toNanos()) {
      fail(CallStatus.TIMEOUT, "the stream stalled: nothing arrived for "
          + executor.settings().streamIdleTimeout().toMillis() + " ms", null);
    }
  }

  @Override
  public void onActivity() {
    lastActivityNanos = System.nanoTime();
  }

  @Override
  public void onDelta(String piece) {
    lastActivityNanos = System.nanoTime();
    if (ended()) {
      return;
    }
    state = State.STREAMING;
    deliveredChars += piece.length();
    String shown = text == null ? piece : text.feed(piece);
    if (!shown.isEmpty()) {
      events.publish(new StreamEvent.Delta<>(shown), false);
    }
  }

  private void finished(ModelReply reply) {
    addUsage(reply.usage());
    if (failIfUnfinished(reply)) {
      return;
    }
    Verdict<T> verdict = verdictOn(reply);
    if (verdict == null) {
      return;
    }
    if (verdict.valid()) {
      succeed(verdict.value());
    } else {
      fail(CallStatus.INVALID_OUTPUT, "the streamed answer is invalid (no re-ask mid-stream): " + verdict.reason(), null);
    }
  }

  /**
   * A stream cancelled or cut before the provider's usage arrived still cost tokens: estimate them
   * at 4 characters a token, from the delivered text and the prompts (see
   * {@link dev.llmtask.CallRecord#usageEstimated()}).
   */
  @Override
  Usage estimatedUsage(CallStatus status) {
    long delivered = deliveredChars;
    if (status == CallStatus.OK || delivered == 0 || usage.inputTokens() + usage.outputTokens() > 0) {
      return null;
    }
    long promptChars = (inv.systemPrompt() == null ? 0 : inv.systemPrompt().length())
        + (inv.userPrompt() == null ? 0 : inv.userPrompt().length());
    return new Usage(tokensIn(promptChars), tokensIn(delivered), 0);
  }

  private static long tokensIn(long chars) {
    return (chars + 3) / 4;
  }

  @Override
  void onTerminal(CallStatus status) {
    if (status != CallStatus.OK) {
      ModelStream s = stream;
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<ModelStream> o = opening;
      if (o != null) {
        o.cancel(true);
      }
    }
    state = switch (status) {
      case OK -> State.COMPLETED;
      case CANCELLED -> State.CANCELLED;
      default -> State.FAILED;
    };
    // the result future is completed right after this hook; publish from it so order is kept
    result.whenComplete((value, failure) -> events.publish(terminalEvent(value, failure), true));
  }

  private StreamEvent<T> terminalEvent(LlmResult<T> value, Throwable failure) {
    if (value != null) {
      return new StreamEvent.Completed<>(value);
    }
    if (state == State.CANCELLED) {
      return new StreamEvent.Cancelled<>(terminalRecord());
    }
    return new StreamEvent.Failed<>((dev.llmtask.LlmTaskException) unwrap(failure));
  }

  // ---- LlmStream ----

  @Override
  public State state() {
    return state;
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
      if (!state.terminal()) {
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
    return result.copy();
  }

  @Override
  public T await() {
    return awaitResult().value();
  }

  @Override
  public void cancel() {
    cancelled();
  }

  @Override
  public String toString() {
    return "LlmStream[" + spec.name() + " " + state + "]";
  }
}
