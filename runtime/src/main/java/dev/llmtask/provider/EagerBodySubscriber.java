package dev.llmtask.provider;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body subscriber that takes the body as fast as it comes (no back-pressure: the subclass
 * handles each piece at once) and can stop reading at any point, which closes the connection.
 */
abstract class EagerBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
  /** Completes with the body's value, or exceptionally. */
  final CompletableFuture<T> body = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;

  @Override
  public final CompletionStage<T> getBody() {
    return body;
  }

  @Override
  public final void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    subscribed();
    if (!body.isDone()) {
      s.request(Long.MAX_VALUE);
    }
  }

  /** Called once the body may be read, before any of it is asked for; may {@link #stopReading()}. */
  void subscribed() {}

  @Override
  public final void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  /** Stops reading the body. */
  final void stopReading() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
