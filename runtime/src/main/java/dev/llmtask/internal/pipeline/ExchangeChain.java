package dev.llmtask.internal.pipeline;

import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.TaskCall;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The exchange chain of one attempt as the link at {@code index} sees it. */
final class ExchangeChain extends LinkChain implements ExchangeInterceptor.Chain {
  private final int index;
  private final TaskCall call;
  private final ModelRequest request;
  private final int attempt;

  ExchangeChain(CallState<?> state, int index, TaskCall call, ModelRequest request, int attempt) {
    super(state);
    this.index = index;
    this.call = call;
    this.request = request;
    this.attempt = attempt;
  }

  @Override
  public TaskCall call() {
    return call;
  }

  @Override
  public ModelRequest request() {
    return request;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Duration timeout() {
    return state.attemptLimit();
  }

  @Override
  public CompletionStage<ModelReply> proceed(ModelRequest next) {
    return proceedInternal(next);
  }

  /** The retry link (index 0) starts a new attempt with each proceed; later links pass theirs on. */
  CompletableFuture<ModelReply> proceedInternal(ModelRequest next) {
    int number = index == 0 ? state.attemptNumbers.incrementAndGet() : attempt;
    return state.pipeline.runExchangeLink(state, index + 1, call, Objects.requireNonNull(next, "request"), number);
  }
}
