package dev.llmtask.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A provider spoken over HTTP with JSON bodies and server-sent-event streams. Subclasses say how a
 * request is written and an answer read; this class runs the exchanges the three ways the runtime
 * needs them: asynchronous, blocking and streamed, each with a bounded body and classified failures.
 */
public abstract class HttpProvider implements LlmProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient client;

  protected HttpProvider(URI endpoint, HttpClient client) {
    this.endpoint = endpoint;
    this.client = client;
  }

  /** Adds the provider's own headers (credentials, API version) to a request. */
  protected abstract void headers(HttpRequest.Builder http);

  /** The request body; {@code stream} asks for a server-sent-event answer. */
  protected abstract byte[] body(ModelRequest request, boolean stream);

  /** Reads a whole answer; throws a classified {@link ProviderException} for an error answer. */
  protected abstract ModelReply read(ModelRequest request, int status, HttpHeaders headers, byte[] body);

  /** The reader of one streamed answer. */
  protected abstract SseEvents streamEvents(ModelRequest request, ModelStreamListener listener);

  /** Classifies an error status answering a streamed request. */
  protected abstract ProviderException streamError(int status, HttpHeaders headers, byte[] body);

  @Override
  public final CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout) {
    return HttpExchange.send(client, http(request, body(request, false), attemptTimeout, "application/json"),
        (status, headers, body) -> read(request, status, headers, body));
  }

  @Override
  public final ModelReply call(ModelRequest request, Duration attemptTimeout) throws InterruptedException {
    return HttpExchange.sendBlocking(client, http(request, body(request, false), attemptTimeout, "application/json"),
        (status, headers, body) -> read(request, status, headers, body));
  }

  @Override
  public final ModelStream stream(ModelRequest request, Duration attemptTimeout, ModelStreamListener listener) {
    return SseExchange.open(client, http(request, body(request, true), attemptTimeout, "text/event-stream"),
        streamEvents(request, listener), (info, bytes) -> streamError(info.statusCode(), info.headers(), bytes));
  }

  private HttpRequest http(ModelRequest request, byte[] body, Duration attemptTimeout, String accept) {
    HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).timeout(attemptTimeout);
    request.headers().forEach(http::header); // links' headers first: the provider's own are set below and win
    http.setHeader("content-type", "application/json")
        .setHeader("accept", accept)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers(http);
    return http.build();
  }

  /** The endpoint requests go to. */
  protected final URI endpoint() {
    return endpoint;
  }

  /** Parses a JSON body, or {@code null} when it is not JSON (an HTML error page, a cut body). */
  public static JsonNode parseJson(byte[] bytes) {
    try {
      return bytes == null || bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
