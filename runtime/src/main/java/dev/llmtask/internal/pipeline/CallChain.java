package dev.llmtask.internal.pipeline;

import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The call chain as the link at {@code index} sees it. */
final class CallChain extends LinkChain implements CallInterceptor.Chain {
  private final int index;
  private final TaskCall call;

  CallChain(CallState<?> state, int index, TaskCall call) {
    super(state);
    this.index = index;
    this.call = call;
  }

  @Override
  public TaskCall call() {
    return call;
  }

  @Override
  public CompletionStage<Outcome> proceed(TaskCall next) {
    return proceedInternal(next);
  }

  CompletableFuture<Outcome> proceedInternal(TaskCall next) {
    return state.pipeline.runCallLink(state, index + 1, Objects.requireNonNull(next, "call"));
  }
}
