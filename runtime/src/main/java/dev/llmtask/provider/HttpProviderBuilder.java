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

  /** The base URL; for an OpenAI-compatible server, the URL its clients are given (ending in {@code /v1}). */
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
