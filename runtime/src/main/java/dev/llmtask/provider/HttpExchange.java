package dev.llmtask.provider;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends one provider request and reads a bounded body. The returned future's {@code cancel}
 * cancels the HTTP exchange itself (a plain {@code thenApply} stage would not), and every failure
 * is classified as a {@link ProviderException}.
 */
final class HttpExchange {
  private HttpExchange() {}

  /**
   * Sends the request; the future completes with what {@code reader} makes of the answer. The
   * answer is read as soon as its body is complete, on the thread that received it: waiting for
   * the future {@code sendAsync} returns would add a hand-off, because the JDK completes that one
   * on the default async pool, which on a 2-core machine starts a new thread per response.
   */
  public static <R> CompletableFuture<R> send(HttpClient client, HttpRequest request, int maxBytes, AsyncTransport.Reader<R> reader) {
    CompletableFuture<R> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<Void>> http = client.sendAsync(request, info ->
        HttpResponse.BodySubscribers.mapping(bodyOf(info, maxBytes), body -> {
          try {
            result.complete(reader.read(info.statusCode(), info.headers(), body));
          } catch (RuntimeException e) {
            result.completeExceptionally(unreadable(info.statusCode(), e));
          }
          return null;
        }));
    return relayFailures(http, result);
  }

  /**
   * Sends the request through another {@link AsyncTransport}, with the same classification of
   * failures and the same cancellation as {@link #send}.
   */
  static <R> CompletableFuture<R> send(AsyncTransport transport, HttpRequest request, byte[] body, int maxBytes,
      AsyncTransport.Reader<R> reader) {
    CompletableFuture<R> result = new CompletableFuture<>();
    CompletableFuture<R> exchange = transport.send(request, body, maxBytes, (status, headers, bytes) -> {
      try {
        return reader.read(status, headers, bytes);
      } catch (RuntimeException e) {
        throw unreadable(status, e);
      }
    });
    exchange.whenComplete((r, f) -> {
      if (f == null) {
        result.complete(r);
      }
    });
    return relayFailures(exchange, result);
  }

  private static ProviderException unreadable(int status, RuntimeException e) {
    return e instanceof ProviderException pe ? pe : HttpFailures.unreadable(status, e.getClass().getSimpleName(), null);
  }

  /**
   * Fails {@code result} with the exchange's classified failure, and cancels the exchange when
   * {@code result} is cancelled (a plain dependent stage would not).
   */
  private static <R> CompletableFuture<R> relayFailures(CompletableFuture<?> exchange, CompletableFuture<R> result) {
    exchange.whenComplete((response, failure) -> {
      if (failure != null && !result.isDone()) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
          result.cancel(false);
        } else {
          result.completeExceptionally(cause instanceof ProviderException ? cause : HttpFailures.transport(cause));
        }
      }
    });
    result.whenComplete((r, f) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  /**
   * Sends the request and waits on the calling thread ({@link HttpClient#send}, the JDK's fastest
   * path); an interrupt cancels the exchange and is rethrown.
   */
  public static <R> R sendBlocking(HttpClient client, HttpRequest request, int maxBytes, AsyncTransport.Reader<R> reader)
      throws InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, info -> bodyOf(info, maxBytes));
    } catch (java.io.IOException e) {
      throw e.getCause() instanceof ProviderException pe ? pe : HttpFailures.transport(e);
    }
    try {
      return reader.read(response.statusCode(), response.headers(), response.body());
    } catch (RuntimeException e) {
      throw unreadable(response.statusCode(), e);
    }
  }

  /**
   * A body of announced, acceptable length goes to the JDK's own byte-array subscriber, which the
   * client trusts to run on its selector thread (no hand-off to an executor per response); a body
   * of unknown length (chunked) gets the bounded collector, and one announced above the limit is
   * refused before a byte of it is read.
   */
  static HttpResponse.BodySubscriber<byte[]> bodyOf(HttpResponse.ResponseInfo info, int maxBytes) {
    long length = info.headers().firstValueAsLong("content-length").orElse(-1);
    return length >= 0 && length <= maxBytes ? HttpResponse.BodySubscribers.ofByteArray()
        : new BoundedBody(info.statusCode(), maxBytes, length);
  }

  /** Collects the body up to a limit; past it the exchange fails with a classified error. */
  static final class BoundedBody extends EagerBodySubscriber<byte[]> {
    private final int status;
    private final int limit;
    private final long announced;
    private byte[] buf = new byte[8192];
    private int size;
    private boolean over;

    /** @param announced the body's {@code content-length}, or -1 when unknown */
    BoundedBody(int status, int limit, long announced) {
      this.status = status;
      this.limit = limit;
      this.announced = announced;
    }

    @Override
    void subscribed() {
      if (announced > limit) {
        refuse("the body announces " + announced + " bytes");
      }
    }

    private void refuse(String what) {
      over = true;
      stopReading();
      body.completeExceptionally(HttpFailures.oversized(status,
          what + ", more than the response-size cap of " + limit + " bytes (maxResponseBytes)"));
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (over) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (size + n > limit) {
          refuse("the body exceeds " + limit + " bytes");
          return;
        }
        if (size + n > buf.length) {
          buf = java.util.Arrays.copyOf(buf, (int) Math.min(limit, Math.max(buf.length * 2L, size + n)));
        }
        b.get(buf, size, n);
        size += n;
      }
    }

    @Override
    public void onComplete() {
      body.complete(size == buf.length ? buf : java.util.Arrays.copyOf(buf, size));
    }
  }
}
