package dev.llmtask.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.provider.HttpProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A provider's Batch API: {@link #openAi} (the OpenAI Batch API: a JSONL file upload, {@code /v1/batches},
 * output and error files) or {@link #anthropic} (the Anthropic Message Batches API,
 * {@code /v1/messages/batches}, results JSONL). Each knows its API's limits (OpenAI: 50,000 requests and
 * 200 MB per batch; Anthropic: 100,000 requests and 256 MB) and its batch price (50 % of the synchronous
 * price at both); {@link #limits} sets lower ones. The API key is sent only in its header and never
 * appears in {@code toString()}, logs or exception messages.
 */
public abstract class BatchApi {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Both APIs bill batch requests at 50 % of the synchronous price (WIRE-FACTS-2 §1.7, §2.6). */
  static final BigDecimal HALF_PRICE = new BigDecimal("0.5");

  final URI baseUrl;
  final String apiKey;
  final HttpClient client;
  final int maxRequests;
  final long maxBytes;

  BatchApi(URI baseUrl, String apiKey, int maxRequests, long maxBytes) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiKey = apiKey;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /**
   * The OpenAI Batch API at {@code baseUrl}, the base URL an {@code OpenAiProvider} takes (it includes
   * {@code /v1}, e.g. {@code https://api.openai.com/v1}). Requests are rendered by the runtime's
   * {@code OpenAiProvider}, for {@code /v1/chat/completions}.
   */
  public static BatchApi openAi(URI baseUrl, String apiKey) {
    return new OpenAiBatchApi(baseUrl, apiKey, OpenAiBatchApi.MAX_REQUESTS, OpenAiBatchApi.MAX_BYTES);
  }

  /**
   * The Anthropic Message Batches API at {@code baseUrl}, the base URL an {@code AnthropicProvider}
   * takes (e.g. {@code https://api.anthropic.com}). Requests are rendered by the runtime's
   * {@code AnthropicProvider}.
   */
  public static BatchApi anthropic(URI baseUrl, String apiKey) {
    return new AnthropicBatchApi(baseUrl, apiKey, AnthropicBatchApi.MAX_REQUESTS, AnthropicBatchApi.MAX_BYTES);
  }

  /**
   * A copy that puts at most {@code maxRequests} requests and {@code maxBytes} bytes of requests in one
   * provider batch; larger submissions are split into several.
   *
   * @throws IllegalArgumentException when a limit is below 1 or above the API's own
   */
  public final BatchApi limits(int maxRequests, long maxBytes) {
    if (maxRequests < 1 || maxRequests > this.maxRequests || maxBytes < 1 || maxBytes > this.maxBytes) {
      throw new IllegalArgumentException("batch limits are 1 to " + this.maxRequests + " requests and 1 to "
          + this.maxBytes + " bytes for the " + provider() + " Batch API; were " + maxRequests + " and " + maxBytes);
    }
    return copy(maxRequests, maxBytes);
  }

  abstract BatchApi copy(int maxRequests, long maxBytes);

  /** The provider name the runtime's provider must have, {@code openai} or {@code anthropic}. */
  abstract String provider();

  /** True when {@code provider} renders requests for this API. */
  abstract boolean renders(HttpProvider provider);

  /** The price of a batch request as a fraction of the synchronous one. */
  BigDecimal priceFactor() {
    return HALF_PRICE;
  }

  /** One request as this API carries it, e.g. a JSONL line; what the size limit counts. */
  abstract byte[] line(String customId, byte[] body);

  /** The bytes the lines take in one batch, besides the lines themselves. */
  abstract long overhead(int lines);

  /** Creates one provider batch of {@code lines}; returns its id. */
  abstract String create(List<byte[]> lines, String submissionId) throws IOException, InterruptedException;

  /** Retrieves a batch's status. */
  abstract Poll retrieve(String batchId) throws IOException, InterruptedException;

  /** Reads every result line of a finished batch (both files, for OpenAI). */
  abstract void results(Poll poll, Consumer<ResultLine> each) throws IOException, InterruptedException;

  /** Asks the provider to cancel the batch. */
  abstract void cancel(String batchId) throws IOException, InterruptedException;

  /**
   * A batch's status.
   *
   * @param terminal how it ended, {@code null} while it runs
   */
  record Poll(String batchId, String status, Terminal terminal, String outputFileId, String errorFileId,
      String resultsUrl) {}

  /** How a provider batch ended. */
  enum Terminal { COMPLETED, EXPIRED, CANCELLED, FAILED }

  /**
   * One result line.
   *
   * @param httpStatus the item's HTTP status when {@code kind} is {@link Kind#RESPONSE}
   * @param body the item's response body (a chat completion, a message, an error object)
   * @param reason for {@link Kind#ERROR}: the provider's error type and code, no message text
   */
  record ResultLine(String customId, Kind kind, int httpStatus, byte[] body, String reason) {}

  enum Kind { RESPONSE, ERROR, EXPIRED, CANCELLED }

  // ---- HTTP ---------------------------------------------------------------------------------

  abstract void authenticate(HttpRequest.Builder request);

  final byte[] send(String what, HttpRequest.Builder request) throws IOException, InterruptedException {
    authenticate(request);
    HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofMinutes(2)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new BatchException(provider() + " Batch API: " + what + " failed with HTTP " + response.statusCode()
          + errorType(response.body()));
    }
    return response.body();
  }

  /** {@code " (invalid_request_error)"}: the error's type and code, never its message (it may quote input). */
  static String errorType(byte[] body) {
    JsonNode error = HttpProvider.parseJson(body);
    JsonNode e = error == null ? null : error.path("error");
    if (e == null || !e.isObject()) {
      return "";
    }
    String type = e.path("type").asText("");
    String code = e.path("code").isTextual() ? e.path("code").asText() : "";
    String both = type.isEmpty() ? code : code.isEmpty() ? type : type + "/" + code;
    return both.isEmpty() ? "" : " (" + both + ")";
  }

  static URI resolve(URI base, String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "set")
        + ", maxRequests=" + maxRequests + ", maxBytes=" + maxBytes + "]";
  }
}
