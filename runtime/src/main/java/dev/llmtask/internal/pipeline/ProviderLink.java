package dev.llmtask.internal.pipeline;

import dev.llmtask.CallStatus;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelStream;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.TaskCall.Mode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The innermost exchange link: one HTTP exchange with the provider of the call's route, the way the
 * call's mode needs it. A blocking call uses {@link LlmProvider#call} on the caller's thread (no
 * hand-off); an async call {@link LlmProvider#send} (no thread waits); a stream
 * {@link LlmProvider#stream}, whose reply completes when the stream ends. Logs the attempt, adds its
 * usage, and cancels the exchange when the call ends early.
 */
final class ProviderLink implements ExchangeInterceptor {
  private final Map<String, LlmProvider> providers;

  ProviderLink(Map<String, LlmProvider> providers) {
    this.providers = providers;
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    CallState<?> state = ((ExchangeChain) chain).state;
    if (state.ended()) {
      return CompletableFuture.failedFuture(new CancellationException("the call has ended"));
    }
    String name = chain.call().provider();
    LlmProvider provider = providers.get(name);
    if (provider == null) {
      return CompletableFuture.failedFuture(new ProviderException(CallStatus.BAD_REQUEST, false, 0, null,
          "no provider named '" + name + "': register it with LlmRuntime.builder().provider(\"" + name + "\", …)", null));
    }
    if (state.streamOpened) {
      return CompletableFuture.failedFuture(new ProviderException(CallStatus.BAD_REQUEST, false, 0, null,
          "a stream that has started cannot be sent again", null));
    }
    ModelRequest request = chain.request();
    Duration limit = chain.timeout();
    state.attempts.incrementAndGet();
    CallState.AttemptEntry entry = state.attemptStarted(name, request.model());
    if (state.mode == Mode.STREAM) {
      return stream(state, provider, request, limit, entry);
    }
    if (state.onOwnerThread()) {
      return blocking(state, provider, request, limit, entry);
    }
    CompletableFuture<ModelReply> http = provider.send(request, limit);
    if (http.isDone() && !http.isCompletedExceptionally()) { // in-memory providers: no stage to add
      state.answered(entry, http.join());
      return http;
    }
    state.onEarlyEnd(() -> http.cancel(true));
    return http.whenComplete((reply, failure) -> settle(state, entry, reply, failure));
  }

  private static CompletionStage<ModelReply> blocking(CallState<?> state, LlmProvider provider, ModelRequest request,
      Duration limit, CallState.AttemptEntry entry) {
    state.block(true);
    try {
      ModelReply reply = provider.call(request, limit);
      state.answered(entry, reply);
      return CompletableFuture.completedFuture(reply);
    } catch (InterruptedException e) { // the deadline's, or the caller's: then the call is cancelled
      state.interruptedWhileBlocked();
      state.attemptFailed(entry, state.terminal == null ? CallStatus.CANCELLED : state.terminal.status());
      return CompletableFuture.failedFuture(new CancellationException("interrupted"));
    } catch (RuntimeException e) {
      settle(state, entry, null, e);
      return CompletableFuture.failedFuture(e);
    } finally {
      state.block(false);
    }
  }

  private static CompletionStage<ModelReply> stream(CallState<?> state, LlmProvider provider, ModelRequest request,
      Duration limit, CallState.AttemptEntry entry) {
    ModelStream stream = provider.stream(request, limit, state.front);
    state.onEarlyEnd(stream::cancel);
    CompletableFuture<ModelReply> reply = new CompletableFuture<>();
    stream.opened().whenComplete((v, failure) -> {
      if (failure != null) {
        settle(state, entry, null, failure);
        reply.completeExceptionally(failure);
        return;
      }
      state.streamOpened = true;
      state.front.opened();
      stream.finished().whenComplete((r, f) -> {
        state.streamEnded = true;
        settle(state, entry, r, f);
        if (f != null) {
          reply.completeExceptionally(f);
        } else {
          reply.complete(r);
        }
      });
    });
    return reply;
  }

  private static void settle(CallState<?> state, CallState.AttemptEntry entry, ModelReply reply, Throwable failure) {
    if (failure == null) {
      state.answered(entry, reply);
      return;
    }
    Throwable f = Pipeline.unwrap(failure);
    CallStatus status = f instanceof ProviderException pe ? pe.status()
        : state.terminal != null ? state.terminal.status()
        : f instanceof CancellationException ? CallStatus.CANCELLED : CallStatus.PROVIDER_ERROR;
    state.attemptFailed(entry, status);
  }
}
