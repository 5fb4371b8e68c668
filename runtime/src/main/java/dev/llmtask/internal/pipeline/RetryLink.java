package dev.llmtask.internal.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.ExchangeInterceptor;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The outermost exchange link: classified retries with full-jitter backoff (or the provider's
 * retry-after), never past the deadline, by Failsafe. Each proceed is one attempt through the exchange
 * interceptors to the provider. A blocking call retries and sleeps on the caller's thread; an async
 * or streamed one holds no thread between attempts. A stream is retried only before it opened.
 */
final class RetryLink implements ExchangeInterceptor {
  private final Backoff backoff;

  RetryLink(Backoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    ExchangeChain c = (ExchangeChain) chain;
    CallState<?> state = c.state;
    RetryPolicy<ModelReply> retry = RetryPolicy.<ModelReply>builder()
        .handleIf(failure -> retryable(state, failure))
        .withMaxRetries(state.policy.maxRetries())
        .withDelayFn(ctx -> {
          Duration requested = Pipeline.unwrap(ctx.getLastException()) instanceof ProviderException pe ? pe.retryAfter() : null;
          Duration wait = backoff.delay(ctx.getAttemptCount() - 1, requested);
          long left = state.remainingNanos();
          return wait.toNanos() < left ? wait : Duration.ofNanos(Math.max(0, left));
        })
        .build();
    if (state.onOwnerThread()) {
      return blocking(c, retry);
    }
    CompletableFuture<ModelReply> attempts = Failsafe.with(retry).with(state.pipeline.failsafeScheduler).getStageAsync(ctx -> {
      if (state.ended()) { // the deadline passed during the backoff
        throw new CancellationException("the call has ended");
      }
      return c.proceedInternal(c.request().withRetryCount(ctx.getAttemptCount()));
    });
    state.onEarlyEnd(() -> attempts.cancel(true)); // drops a retry waiting for its backoff
    return attempts;
  }

  private static CompletionStage<ModelReply> blocking(ExchangeChain c, RetryPolicy<ModelReply> retry) {
    CallState<?> state = c.state;
    try {
      return CompletableFuture.completedFuture(Failsafe.with(retry).get(ctx -> {
        if (state.ended()) {
          throw new CancellationException("the call has ended");
        }
        return await(c.proceedInternal(c.request().withRetryCount(ctx.getAttemptCount())));
      }));
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) { // in the backoff sleep
        state.interruptedWhileBlocked();
        return CompletableFuture.failedFuture(new CancellationException("interrupted"));
      }
      return CompletableFuture.failedFuture(e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The attempt's reply; an exchange link that went asynchronous in a blocking call is waited for here. */
  private static ModelReply await(CompletableFuture<ModelReply> attempt) throws Throwable {
    try {
      return attempt.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private static boolean retryable(CallState<?> state, Throwable failure) {
    long left = state.remainingNanos();
    if (left <= 0 || state.ended() || state.streamOpened) {
      return false;
    }
    Throwable f = Pipeline.unwrap(failure);
    // a wait the provider demands that would pass the deadline ends the call now, with its status
    return f instanceof ProviderException pe && pe.retryable()
        && (pe.retryAfter() == null || pe.retryAfter().toNanos() < left);
  }
}
