package dev.llmtask.provider;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One model provider's wire protocol: turns a {@link ModelRequest} into an HTTP exchange and its
 * answer into a {@link ModelReply}. Providers do no retrying, no validation and no telemetry: the
 * runtime owns those.
 *
 * <p>Built-in: {@link dev.llmtask.provider.openai.OpenAiProvider} (OpenAI Chat Completions and
 * compatible servers).
 */
public interface LlmProvider {

  /** Short name recorded in telemetry, e.g. {@code openai}. */
  String name();

  /**
   * Checks, when a task or route is wired, that this provider can send {@code sampling}; the runtime
   * calls it before any request. The default accepts every setting (and a provider that keeps it
   * should send them all, or ignore them knowingly).
   *
   * @throws IllegalArgumentException naming the setting this provider's API cannot take, and what to do
   */
  default void checkSampling(dev.llmtask.Sampling sampling) {}

  /**
   * Sends one attempt. The future completes with the reply or fails with a {@link ProviderException}
   * that classifies the failure. Cancelling the future cancels the HTTP exchange.
   *
   * @param attemptTimeout the most this attempt may take; the provider applies it to the exchange
   */
  CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout);

  /**
   * Sends one attempt and waits for it on the calling thread: what synchronous task calls use,
   * since a blocking exchange avoids the thread hand-offs of an asynchronous one. The default
   * waits for {@link #send}; HTTP providers override it with a blocking exchange.
   *
   * @throws ProviderException the classified failure
   * @throws InterruptedException when the calling thread is interrupted; the exchange is cancelled
   */
  default ModelReply call(ModelRequest request, Duration attemptTimeout) throws InterruptedException {
    CompletableFuture<ModelReply> reply = send(request, attemptTimeout);
    try {
      return reply.get();
    } catch (InterruptedException e) {
      reply.cancel(true);
      throw e;
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof ProviderException pe ? pe : HttpFailures.transport(e.getCause());
    }
  }

  /**
   * Sends one attempt as a stream: pieces of the answer go to {@code listener} as they arrive.
   * Providers that cannot stream keep this default, which fails with {@code BAD_REQUEST}.
   *
   * @param attemptTimeout the most the provider may take to start the stream
   */
  default ModelStream stream(ModelRequest request, Duration attemptTimeout, ModelStreamListener listener) {
    ProviderException e = new ProviderException(dev.llmtask.CallStatus.BAD_REQUEST, false, 0, null,
        "the provider " + name() + " does not support streaming", null);
    return new ModelStream(CompletableFuture.failedFuture(e), CompletableFuture.failedFuture(e), () -> { });
  }
}
