package dev.llmtask.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every HTTP provider builder shares: base URL, API key (from the environment when
 * not given), connect timeout, or a client of your own.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  private URI baseUrl;
  private String apiKey;
  private Duration connectTimeout = ProviderSettings.DEFAULT_CONNECT_TIMEOUT;
  private HttpClient httpClient;
  private AsyncTransport asyncTransport;
  private int maxResponseBytes = ProviderSettings.DEFAULT_MAX_RESPONSE_BYTES;
  private int maxEventLineChars = ProviderSettings.DEFAULT_MAX_EVENT_LINE_CHARS;
  private final String[] apiKeyVariables;

  /**
   * @param defaultBaseUrl the provider's public endpoint
   * @param apiKeyVariables environment variables read, in order, when no key is given
   */
  protected HttpProviderBuilder(URI defaultBaseUrl, String... apiKeyVariables) {
    this.baseUrl = defaultBaseUrl;
    this.apiKeyVariables = apiKeyVariables.clone();
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The base URL. OpenAI and OpenAI-compatible servers: the URL their clients are given, which
   * includes {@code /v1} ({@code https://api.openai.com/v1}); Anthropic: the host only, without
   * {@code /v1} ({@code https://api.anthropic.com}), since the adapter adds {@code /v1/messages}.
   */
  public B baseUrl(URI baseUrl) {
    this.baseUrl = ProviderSettings.baseUrl(baseUrl);
    return self();
  }

  /**
   * The API key. When never called, {@code build()} reads {@code LLM_API_KEY}, then the provider's
   * usual variable; with neither, requests carry no key (fine for local compatible servers).
   * The key is checked without ever being echoed.
   */
  public B apiKey(String apiKey) {
    this.apiKey = ProviderSettings.apiKey(apiKey);
    return self();
  }

  /** TCP connect timeout (default 10 s). */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = ProviderSettings.connectTimeout(timeout);
    return self();
  }

  /** A client of your own (proxy, TLS, executor settings). */
  public B httpClient(HttpClient client) {
    this.httpClient = Objects.requireNonNull(client, "httpClient");
    return self();
  }

  /**
   * The transport of asynchronous, non-streamed exchanges (the task methods returning a
   * {@code CompletableFuture}); blocking and streamed calls keep the JDK client. Default: the JDK
   * client's {@code sendAsync}, which on fewer than 3 cores starts a thread per response (see
   * {@link AsyncTransport}). The caller owns the transport and closes it.
   */
  public B asyncTransport(AsyncTransport transport) {
    this.asyncTransport = Objects.requireNonNull(transport, "asyncTransport");
    return self();
  }

  /** The asynchronous transport given, or {@code null} for the JDK client's. */
  protected AsyncTransport asyncTransport() {
    return asyncTransport;
  }

  /**
   * The most a response body may hold (default 16 MiB, at least 1024): a larger body ends the
   * attempt {@code PROVIDER_ERROR}, not retried, after reading at most this much of it; a body that
   * announces a larger {@code content-length} is refused before it is read.
   */
  public B maxResponseBytes(int bytes) {
    this.maxResponseBytes = ProviderSettings.maxResponseBytes(bytes);
    return self();
  }

  /**
   * The longest line of an event stream (default 1 Mi chars, at least 1024): a longer line ends the
   * attempt {@code PROVIDER_ERROR}, not retried, after reading at most this much of it.
   */
  public B maxEventLineChars(int chars) {
    this.maxEventLineChars = ProviderSettings.maxEventLineChars(chars);
    return self();
  }

  /** The response-size cap in force. */
  protected int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** The event-line cap in force. */
  protected int maxEventLineChars() {
    return maxEventLineChars;
  }

  /** Builds the provider; a missing or malformed setting fails here, naming it. */
  public abstract LlmProvider build();

  /** The base URL in force. */
  protected URI baseUrl() {
    return baseUrl;
  }

  /** The key given, else the first of the environment variables set, else {@code null}. */
  protected String resolvedApiKey() {
    return apiKey != null ? apiKey : ProviderSettings.apiKeyFromEnvironment(System.getenv(), apiKeyVariables);
  }

  /** The client given, or a new HTTP/1.1 client with the connect timeout. */
  protected HttpClient client() {
    return httpClient != null ? httpClient : ProviderSettings.newClient(connectTimeout);
  }
}
