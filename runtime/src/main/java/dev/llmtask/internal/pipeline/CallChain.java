package dev.llmtask.internal.pipeline;

import dev.llmtask.spi.CallAttributes;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Deadline;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The call chain as the link at {@code index} sees it. */
final class CallChain implements CallInterceptor.Chain {
  final CallState<?> state;
  private final int index;
  private final TaskCall call;

  CallChain(CallState<?> state, int index, TaskCall call) {
    this.state = state;
    this.index = index;
    this.call = call;
  }

  @Override
  public TaskCall call() {
    return call;
  }

  @Override
  public Deadline deadline() {
    return state;
  }

  @Override
  public CallAttributes attributes() {
    return state.attributes();
  }

  @Override
  public CompletionStage<Void> delay(Duration wait) {
    return state.delay(Objects.requireNonNull(wait, "wait"));
  }

  @Override
  public CompletionStage<Outcome> proceed(TaskCall next) {
    return proceedInternal(next);
  }

  CompletableFuture<Outcome> proceedInternal(TaskCall next) {
    return state.pipeline.runCallLink(state, index + 1, Objects.requireNonNull(next, "call"));
  }
}
