package dev.llmtask.provider;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Another HTTP client for a provider's asynchronous, non-streamed exchanges (the task methods that
 * return a {@code CompletableFuture}); blocking and streamed calls keep the JDK client. Set with
 * {@code OpenAiProvider.builder().asyncTransport(…)} (Anthropic alike). Without one, asynchronous
 * exchanges use {@link java.net.http.HttpClient#sendAsync}, which completes every response through
 * {@code CompletableFuture}'s default executor: on a machine with fewer than 3 cores that is a new
 * thread per response. A transport that completes on its own I/O threads (for example
 * {@code llmtask-httpclient5}'s) avoids that.
 *
 * <p>A transport must hold no thread per exchange in flight, must complete the future once, and must
 * cancel the exchange when the future is cancelled.
 */
public interface AsyncTransport {
  /**
   * Sends {@code request} (its URI, headers and timeout; the method is {@code POST}) with {@code body}
   * and completes with what {@code reader} makes of the answer. The future fails with the
   * {@link ProviderException} the reader throws, with {@link HttpFailures#oversized} when the body
   * exceeds {@code maxResponseBytes}, or with the transport's {@link java.io.IOException}: a
   * {@link java.net.http.HttpTimeoutException} when the request's timeout passed before the answer,
   * a {@link java.net.ConnectException} or {@link java.net.http.HttpConnectTimeoutException} when no
   * connection was made. The provider classifies those for retries.
   */
  <R> CompletableFuture<R> send(HttpRequest request, byte[] body, int maxResponseBytes, Reader<R> reader);

  /** Reads a provider's answer: status, headers and the whole body. */
  @FunctionalInterface
  interface Reader<R> {
    R read(int status, HttpHeaders headers, byte[] body);
  }
}
