package dev.llmtask.provider;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.Sampling;
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
  private final AsyncTransport asyncTransport;
  private final int maxResponseBytes;
  private final int maxEventLineChars;

  /** A provider with the default caps ({@link ProviderSettings#DEFAULT_MAX_RESPONSE_BYTES}, {@link ProviderSettings#DEFAULT_MAX_EVENT_LINE_CHARS}). */
  protected HttpProvider(URI endpoint, HttpClient client) {
    this(endpoint, client, ProviderSettings.DEFAULT_MAX_RESPONSE_BYTES, ProviderSettings.DEFAULT_MAX_EVENT_LINE_CHARS);
  }

  /**
   * @param maxResponseBytes the most a response body may hold; a larger one fails the attempt, not retried
   * @param maxEventLineChars the longest line of an event stream; a longer one fails the attempt, not retried
   */
  protected HttpProvider(URI endpoint, HttpClient client, int maxResponseBytes, int maxEventLineChars) {
    this(endpoint, client, null, maxResponseBytes, maxEventLineChars);
  }

  /**
   * @param asyncTransport the transport of asynchronous, non-streamed exchanges, or {@code null} for
   *     {@code client}'s {@code sendAsync}
   * @param maxResponseBytes the most a response body may hold; a larger one fails the attempt, not retried
   * @param maxEventLineChars the longest line of an event stream; a longer one fails the attempt, not retried
   */
  protected HttpProvider(URI endpoint, HttpClient client, AsyncTransport asyncTransport, int maxResponseBytes,
      int maxEventLineChars) {
    this.endpoint = endpoint;
    this.client = client;
    this.asyncTransport = asyncTransport;
    this.maxResponseBytes = ProviderSettings.maxResponseBytes(maxResponseBytes);
    this.maxEventLineChars = ProviderSettings.maxEventLineChars(maxEventLineChars);
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

  /**
   * Classifies a 2xx body that is the provider's error object (not an answer), by its error type;
   * {@code null} when the body is no error object.
   */
  protected abstract ProviderException errorBodyIn2xx(HttpHeaders headers, JsonNode body);

  /** What a 404 should make the user check: the form of base URL this provider expects. */
  protected abstract String baseUrlAdvice();

  /**
   * Writes the sampling settings that are set, in the names both APIs share ({@code temperature},
   * {@code top_p}, {@code seed}), the stop sequences under {@code stopField}.
   */
  protected static void writeSampling(JsonGenerator g, Sampling sampling, String stopField) throws IOException {
    if (sampling.temperature() != null) {
      g.writeNumberField("temperature", sampling.temperature());
    }
    if (sampling.topP() != null) {
      g.writeNumberField("top_p", sampling.topP());
    }
    if (sampling.seed() != null) {
      g.writeNumberField("seed", sampling.seed());
    }
    if (sampling.stop() != null) {
      g.writeArrayFieldStart(stopField);
      for (String stop : sampling.stop()) {
        g.writeString(stop);
      }
      g.writeEndArray();
    }
  }

  @Override
  public final CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout) {
    byte[] body = body(request, false);
    HttpRequest http = http(request, body, attemptTimeout, "application/json");
    AsyncTransport.Reader<ModelReply> reader = (status, headers, bytes) -> readExplained(request, status, headers, bytes);
    return asyncTransport == null ? HttpExchange.send(client, http, maxResponseBytes, reader)
        : HttpExchange.send(asyncTransport, http, body, maxResponseBytes, reader);
  }

  @Override
  public final ModelReply call(ModelRequest request, Duration attemptTimeout) throws InterruptedException {
    return HttpExchange.sendBlocking(client, http(request, body(request, false), attemptTimeout, "application/json"),
        maxResponseBytes, (status, headers, bytes) -> readExplained(request, status, headers, bytes));
  }

  @Override
  public final ModelStream stream(ModelRequest request, Duration attemptTimeout, ModelStreamListener listener) {
    return SseExchange.open(client, http(request, body(request, true), attemptTimeout, "text/event-stream"),
        streamEvents(request, listener), maxResponseBytes, maxEventLineChars, (info, bytes) -> {
          int status = info.statusCode();
          if (status < 200 || status > 299) {
            return withRateLimits(explained(streamError(status, info.headers(), bytes)), info.headers());
          }
          ProviderException error = errorBodyIn2xx(info.headers(), parseJson(bytes));
          return error != null ? error : HttpFailures.notAnEventStream(status,
              info.headers().firstValue("content-type").orElse(null), bytes.length, null);
        });
  }

  private ModelReply readExplained(ModelRequest request, int status, HttpHeaders headers, byte[] body) {
    ModelReply reply;
    try {
      reply = read(request, status, headers, body);
    } catch (ProviderException e) {
      throw withRateLimits(explained(e), headers);
    }
    RateLimitHeaders limits = RateLimitHeaders.of(headers, java.time.Instant.now());
    return limits == null ? reply : reply.withRateLimits(limits);
  }

  /** The failure with the response's rate-limit headers, for the rate limiter's pacing. */
  private static ProviderException withRateLimits(ProviderException e, HttpHeaders headers) {
    RateLimitHeaders limits = RateLimitHeaders.of(headers, java.time.Instant.now());
    return limits == null ? e : e.withRateLimits(limits);
  }

  /** A 404 names the path asked for and the base URL form the provider expects. */
  private ProviderException explained(ProviderException e) {
    if (e.httpStatus() != 404) {
      return e;
    }
    return HttpFailures.explained(e, "POST " + endpoint.getRawPath() + " was not found; if the base URL is wrong: "
        + baseUrlAdvice());
  }

  /**
   * The JSON body a non-streamed request would send, without sending it: what a provider's Batch
   * API takes as one item's request.
   */
  public final byte[] requestBody(ModelRequest request) {
    return body(request, false);
  }

  /**
   * Reads a response body to {@code request} that arrived by other means than this provider's own
   * exchange (an item of a Batch API's results), exactly as a synchronous reply is read.
   *
   * @throws ProviderException the classified failure the body or status describes
   */
  public final ModelReply readReply(ModelRequest request, int status, byte[] body) {
    return read(request, status, HttpHeaders.of(java.util.Map.of(), (name, value) -> true), body);
  }

  /** The most a response body may hold, in bytes. */
  protected final int maxResponseBytes() {
    return maxResponseBytes;
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
