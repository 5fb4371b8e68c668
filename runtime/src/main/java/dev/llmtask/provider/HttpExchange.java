package dev.llmtask.provider;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Sends one provider request and reads a bounded body. The returned future's {@code cancel}
 * cancels the HTTP exchange itself (a plain {@code thenApply} stage would not), and every failure
 * is classified as a {@link ProviderException}.
 */
public final class HttpExchange {
  /** The most a provider answer may hold; a hostile or broken server cannot exhaust memory. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private HttpExchange() {}

  public static <R> CompletableFuture<R> send(HttpClient client, HttpRequest request,
      Function<HttpResponse<byte[]>, R> reader) {
    CompletableFuture<HttpResponse<byte[]>> http = client.sendAsync(request, info -> new BoundedBody(MAX_BODY_BYTES));
    CompletableFuture<R> result = new CompletableFuture<>();
    http.whenComplete((response, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
          result.cancel(false);
        } else {
          result.completeExceptionally(cause instanceof ProviderException ? cause : HttpFailures.transport(cause));
        }
        return;
      }
      try {
        result.complete(reader.apply(response));
      } catch (RuntimeException e) {
        result.completeExceptionally(e instanceof ProviderException ? e
            : HttpFailures.unreadable(response.statusCode(), e.getClass().getSimpleName(), null));
      }
    });
    result.whenComplete((r, f) -> {
      if (result.isCancelled()) {
        http.cancel(true);
      }
    });
    return result;
  }

  /** Collects the body up to a limit; past it the exchange fails with a classified error. */
  static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private byte[] buf = new byte[8192];
    private int size;
    private Flow.Subscription subscription;

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (size + n > limit) {
          subscription.cancel();
          body.completeExceptionally(HttpFailures.unreadable(200, "the body exceeds " + limit + " bytes", null));
          return;
        }
        if (size + n > buf.length) {
          buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
        b.get(buf, size, n);
        size += n;
      }
    }

    @Override
    public void onError(Throwable t) {
      body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.complete(java.util.Arrays.copyOf(buf, size));
    }
  }
}
