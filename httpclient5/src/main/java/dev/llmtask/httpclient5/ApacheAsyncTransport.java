package dev.llmtask.httpclient5;

import dev.llmtask.provider.AsyncTransport;
import dev.llmtask.provider.HttpFailures;
import dev.llmtask.provider.ProviderException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * An {@link AsyncTransport} on Apache HttpClient 5's non-blocking I/O reactor: a fixed number of
 * I/O threads send every request and read every answer, and the call's future completes on the I/O
 * thread that read the answer's last byte. No thread is started or held per call in flight, on any
 * number of cores (the JDK client's {@code sendAsync} starts one per response below 3 cores).
 *
 * <pre>{@code
 * ApacheAsyncTransport transport = ApacheAsyncTransport.builder().build();
 * LlmProvider openAi = OpenAiProvider.builder().asyncTransport(transport).build();
 * // ... transport.close() when the application stops
 * }</pre>
 *
 * <p>Only asynchronous, non-streamed exchanges go through it; blocking and streamed calls keep the
 * JDK client. The request's timeout becomes the answer's response timeout: the longest wait for
 * the next bytes of the answer. The call's own deadline bounds the whole exchange as usual.
 * HTTP/1.1 only, no redirects, cookies, authentication cache or automatic retries (the runtime
 * classifies and retries). Close it when done: that ends its I/O threads and connections.
 */
public final class ApacheAsyncTransport implements AsyncTransport, AutoCloseable {
  private final CloseableHttpAsyncClient client;

  private ApacheAsyncTransport(Builder b) {
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(b.maxConnections)
            .setMaxConnPerRoute(b.maxConnections)
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(b.connectTimeout)).build())
            .build())
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(b.ioThreads).setTcpNoDelay(true).build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .build();
    client.start();
  }

  /** Settings: I/O threads, connections, connect timeout. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public <R> CompletableFuture<R> send(HttpRequest request, byte[] body, int maxResponseBytes, Reader<R> reader) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(reader, "reader");
    CompletableFuture<R> result = new CompletableFuture<>();
    HttpClientContext context = HttpClientContext.create();
    request.timeout().ifPresent(t -> context.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(t)).build()));
    Future<Answer> exchange = client.execute(producer(request, body), new BoundedBody(maxResponseBytes), null, context,
        new FutureCallback<>() {
          @Override
          public void completed(Answer answer) {
            try {
              result.complete(reader.read(answer.status, answer.headers, answer.body));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void failed(Exception e) {
            result.completeExceptionally(failure(e));
          }

          @Override
          public void cancelled() {
            result.cancel(false);
          }
        });
    result.whenComplete((r, f) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  private static AsyncRequestProducer producer(HttpRequest request, byte[] body) {
    String contentType = request.headers().firstValue("content-type").orElse("application/json");
    AsyncRequestBuilder http = AsyncRequestBuilder.post(request.uri())
        .setEntity(new BasicAsyncEntityProducer(body, ContentType.parse(contentType)));
    request.headers().map().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("content-length")) {
        values.forEach(v -> http.addHeader(name, v));
      }
    });
    return http.build();
  }

  /** The HTTP client's failures in the JDK's types, which the provider classifies for retries. */
  static Throwable failure(Exception e) {
    if (e instanceof TooLarge tooLarge) {
      return tooLarge.failure;
    }
    if (e instanceof ConnectTimeoutException) {
      HttpConnectTimeoutException jdk = new HttpConnectTimeoutException("connect timed out");
      jdk.initCause(e);
      return jdk;
    }
    if (e instanceof SocketTimeoutException) {
      HttpTimeoutException jdk = new HttpTimeoutException("request timed out");
      jdk.initCause(e);
      return jdk;
    }
    return e;
  }

  /** Ends the I/O threads and closes the connections; exchanges in flight fail. */
  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
  }

  /** A whole answer. */
  private record Answer(int status, HttpHeaders headers, byte[] body) {}

  /** Carries the size-cap failure out of the body consumer. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final transient ProviderException failure;

    TooLarge(ProviderException failure) {
      super("the answer is larger than the response-size cap");
      this.failure = failure;
    }
  }

  /** Collects the body up to a limit; one announced above it is refused before a byte of it is read. */
  private static final class BoundedBody extends AbstractBinResponseConsumer<Answer> {
    private final int limit;
    private int status;
    private HttpHeaders headers;
    private byte[] buf = new byte[0];
    private int size;

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) throws IOException {
      status = response.getCode();
      // one entry per name whatever its case, as the JDK client gives them (HttpHeaders.of refuses duplicates)
      Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Header h : response.getHeaders()) {
        map.computeIfAbsent(h.getName(), k -> new ArrayList<>(1)).add(h.getValue());
      }
      headers = HttpHeaders.of(map, (name, value) -> true);
      long announced = headers.firstValueAsLong("content-length").orElse(-1);
      if (announced > limit) {
        throw tooLarge("the body announces " + announced + " bytes");
      }
      buf = new byte[announced >= 0 ? (int) announced : 8192];
    }

    private TooLarge tooLarge(String what) {
      return new TooLarge(HttpFailures.oversized(status,
          what + ", more than the response-size cap of " + limit + " bytes (maxResponseBytes)"));
    }

    @Override
    protected int capacityIncrement() {
      return 65_536;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
      int n = src.remaining();
      if (size + n > limit) {
        throw tooLarge("the body exceeds " + limit + " bytes");
      }
      if (size + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, (int) Math.min(limit, Math.max(buf.length * 2L, size + n)));
      }
      src.get(buf, size, n);
      size += n;
    }

    @Override
    protected Answer buildResult() {
      return new Answer(status, headers, size == buf.length ? buf : java.util.Arrays.copyOf(buf, size));
    }

    @Override
    public void releaseResources() {
      // nothing held beyond the buffer, which the answer keeps
    }
  }

  /** The transport's settings. */
  public static final class Builder {
    private int ioThreads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private int maxConnections = 256;
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** I/O threads, each serving its share of the connections (default: the cores, at most 2). */
    public Builder ioThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("ioThreads must be 1..64, got " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * The most connections open at once, per host and in all (default 256): an exchange beyond it
     * waits for a free connection, holding no thread.
     */
    public Builder maxConnections(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, got " + connections);
      }
      this.maxConnections = connections;
      return this;
    }

    /** TCP connect timeout (default 10 s, as the providers' own). */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "connectTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** Starts the transport's I/O threads. */
    public ApacheAsyncTransport build() {
      return new ApacheAsyncTransport(this);
    }
  }
}
