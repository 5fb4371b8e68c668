package dev.llmtask.provider;

import java.util.concurrent.CompletableFuture;

/**
 * One streamed exchange with a provider.
 *
 * @param opened completes when the provider accepted the request and the event stream began; fails
 *     with a classified {@link ProviderException} when it answered with an error instead (such
 *     failures may be retried, since nothing reached the caller yet)
 * @param finished completes with the whole reply after the provider's end-of-stream event; fails
 *     with a {@link ProviderException} when the stream is cut, carries an error event, or is unreadable
 * @param canceller closes the connection
 */
public record ModelStream(CompletableFuture<Void> opened, CompletableFuture<ModelReply> finished, Runnable canceller) {

  /** Closes the connection; both futures end (cancelled) if they had not. */
  public void cancel() {
    canceller.run();
  }
}
