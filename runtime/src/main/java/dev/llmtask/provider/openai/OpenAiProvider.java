package dev.llmtask.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.provider.AsyncTransport;
import dev.llmtask.provider.HttpFailures;
import dev.llmtask.provider.HttpProvider;
import dev.llmtask.provider.HttpProviderBuilder;
import dev.llmtask.provider.SseEvents;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Finish;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelRequest.Repair;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.provider.ProviderSettings;
import dev.llmtask.provider.ModelStreamListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * OpenAI Chat Completions ({@code POST {baseUrl}/chat/completions}) with strict structured output
 * ({@code response_format: json_schema, strict: true}). Works with any OpenAI-compatible server by
 * base URL.
 *
 * <pre>{@code
 * OpenAiProvider openai = OpenAiProvider.builder()
 *     .baseUrl(URI.create("https://api.openai.com/v1"))
 *     .apiKey(System.getenv("LLM_API_KEY"))
 *     .build();
 * }</pre>
 *
 * The API key is sent only in the {@code Authorization} header; it never appears in
 * {@link #toString()}, logs or exception messages.
 */
public final class OpenAiProvider extends HttpProvider {
  /** The public OpenAI API. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final String authorization;

  /** {@code prompt_cache_key} by task name; {@code null}: none configured. */
  private final java.util.Map<String, String> promptCacheKeys;
  private final boolean promptCacheKeyPerTask;

  private OpenAiProvider(URI baseUrl, String key, HttpClient client, AsyncTransport asyncTransport, int maxResponseBytes, int maxEventLineChars,
      java.util.Map<String, String> promptCacheKeys, boolean promptCacheKeyPerTask) {
    super(ProviderSettings.endpoint(baseUrl, "chat/completions"), client, asyncTransport, maxResponseBytes, maxEventLineChars);
    this.authorization = key == null ? null : "Bearer " + key;
    this.promptCacheKeys = promptCacheKeys;
    this.promptCacheKeyPerTask = promptCacheKeyPerTask;
  }

  /** The {@code prompt_cache_key} of {@code task}, or {@code null}. */
  private String promptCacheKey(String task) {
    String key = promptCacheKeys.get(task);
    return key != null || !promptCacheKeyPerTask ? key : "llmtask:" + task;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  protected void headers(HttpRequest.Builder http) {
    if (authorization != null) {
      http.setHeader("Authorization", authorization);
    }
  }

  @Override
  protected ModelReply read(ModelRequest request, int status, HttpHeaders headers, byte[] body) {
    return read(status, headers, body);
  }

  @Override
  protected SseEvents streamEvents(ModelRequest request, ModelStreamListener listener) {
    return new OpenAiStreamEvents(listener);
  }

  @Override
  protected ProviderException streamError(int status, HttpHeaders headers, byte[] body) {
    return error(status, headers, parseJson(body), headers.firstValue("x-request-id").orElse(null));
  }

  @Override
  protected ProviderException errorBodyIn2xx(HttpHeaders headers, JsonNode body) {
    return body != null && body.hasNonNull("error")
        ? errorIn2xx(HttpFailures.IN_BODY, body, headers.firstValue("x-request-id").orElse(null)) : null;
  }

  @Override
  protected String baseUrlAdvice() {
    return "an OpenAI or OpenAI-compatible base URL includes /v1 (e.g. https://api.openai.com/v1 or"
        + " http://localhost:8000/v1), and the adapter adds chat/completions";
  }

  /** The request body, written with Jackson's streaming generator; the schema is embedded as is. */
  @Override
  protected byte[] body(ModelRequest r, boolean stream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + r.userPrompt().length() + r.schema().openAi().length());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeArrayFieldStart("messages");
      if (r.systemPrompt() != null) {
        message(g, "system", r.systemPrompt());
      }
      message(g, "user", r.userPrompt());
      for (Repair repair : r.repairs()) {
        message(g, "assistant", repair.answer() == null ? "" : repair.answer());
        message(g, "user", repair.instruction());
      }
      g.writeEndArray();
      g.writeObjectFieldStart("response_format");
      g.writeStringField("type", "json_schema");
      g.writeObjectFieldStart("json_schema");
      g.writeStringField("name", r.schema().name());
      g.writeBooleanField("strict", true);
      g.writeFieldName("schema");
      g.writeRawValue(r.schema().openAi());
      g.writeEndObject();
      g.writeEndObject();
      g.writeNumberField("max_completion_tokens", r.maxOutputTokens());
      String cacheKey = promptCacheKey(r.task());
      if (cacheKey != null) {
        g.writeStringField("prompt_cache_key", cacheKey);
      }
      writeSampling(g, r.sampling(), "stop");
      if (stream) {
        g.writeBooleanField("stream", true);
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void message(JsonGenerator g, String role, String content) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", role);
    g.writeStringField("content", content);
    g.writeEndObject();
  }

  /** The text field {@code name} of {@code node}, or {@code null}. */
  static String text(JsonNode node, String name) {
    JsonNode v = node.path(name);
    return v.isTextual() ? v.asText() : null;
  }

  static ModelReply read(int status, HttpHeaders headers, byte[] bytes) {
    String requestId = headers.firstValue("x-request-id").orElse(null);
    JsonNode body = parseJson(bytes);
    if (status < 200 || status > 299 || (body != null && body.hasNonNull("error"))) {
      throw error(status < 200 || status > 299 ? status : 500, headers, body, requestId);
    }
    if (body == null || !body.isObject()) {
      throw HttpFailures.unreadable(status, "not a JSON object", requestId);
    }
    JsonNode choice = body.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw HttpFailures.unreadable(status, "no choices", requestId);
    }
    JsonNode message = choice.path("message");
    String content = message.path("content").isTextual() ? message.path("content").asText() : null;
    String refusal = message.path("refusal").isTextual() ? message.path("refusal").asText() : null;
    return new ModelReply(content, finish(refusal, choice.path("finish_reason").asText("stop")), refusal,
        usage(body.path("usage")), requestId, text(body, "id"), text(body, "model"));
  }

  static Finish finish(String refusal, String finishReason) {
    if (refusal != null) {
      return Finish.REFUSED;
    }
    return switch (finishReason) {
      case "length" -> Finish.TRUNCATED;
      case "content_filter" -> Finish.FILTERED;
      default -> Finish.COMPLETE;
    };
  }

  static Usage usage(JsonNode u) {
    if (!u.isObject()) {
      return Usage.NONE;
    }
    return new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
        u.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        u.path("prompt_tokens_details").path("cache_write_tokens").asLong(0));
  }

  static ProviderException error(int status, HttpHeaders headers, JsonNode body, String requestId) {
    String type = errorField(body, "type");
    String code = errorField(body, "code");
    return contextAdvice(code, HttpFailures.classify(status, headers, type, code, quota(type, code), requestId));
  }

  /** An error object that came with a 2xx status ({@link HttpFailures#IN_STREAM} or {@link HttpFailures#IN_BODY}). */
  static ProviderException errorIn2xx(String where, JsonNode body, String requestId) {
    String type = errorField(body, "type");
    String code = errorField(body, "code");
    return contextAdvice(code, HttpFailures.errorIn2xx(where, statusOf(type, code), type, code, quota(type, code), requestId));
  }

  private static String errorField(JsonNode body, String name) {
    JsonNode value = body == null ? null : body.path("error").path(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static boolean quota(String type, String code) {
    return "insufficient_quota".equals(code) || "insufficient_quota".equals(type);
  }

  private static ProviderException contextAdvice(String code, ProviderException e) {
    return "context_length_exceeded".equals(code) ? HttpFailures.contextTooLong(e) : e;
  }

  /** An error with no HTTP status of its own: the status its type or code stands for as a response. */
  private static int statusOf(String type, String code) {
    if ("rate_limit_exceeded".equals(code) || "insufficient_quota".equals(code)) {
      return 429;
    }
    if (type == null) {
      return 500;
    }
    return switch (type) {
      case "rate_limit_exceeded", "tokens", "requests", "insufficient_quota" -> 429;
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      default -> 500;
    };
  }

  @Override
  public String toString() {
    return "OpenAiProvider[endpoint=" + endpoint() + ", apiKey=" + (authorization == null ? "none" : "set") + "]";
  }

  /** Builder of {@link OpenAiProvider}: base URL (default {@code https://api.openai.com/v1}), key, timeouts. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private final java.util.Map<String, String> promptCacheKeys = new java.util.HashMap<>();
    private boolean promptCacheKeyPerTask;

    private Builder() {
      super(DEFAULT_BASE_URL, "LLM_API_KEY", "OPENAI_API_KEY");
    }

    /**
     * Sends {@code "prompt_cache_key": key} with the requests of the task {@code taskName}. OpenAI
     * routes requests with the same key and prefix together, which raises prompt-cache hits (it
     * caches prompts of 1,024 tokens or more on its own; reads are reported as {@code cachedInputTokens}).
     * Keep each key below about 15 requests a minute per prefix. Never put customer data in it.
     */
    public Builder promptCacheKey(String taskName, String key) {
      promptCacheKeys.put(ProviderSettings.notBlank(taskName, "taskName"), ProviderSettings.notBlank(key, "key"));
      return this;
    }

    /** Sends {@code "prompt_cache_key": "llmtask:<task name>"} for every task without a key of its own. */
    public Builder promptCacheKeyPerTask() {
      promptCacheKeyPerTask = true;
      return this;
    }

    public OpenAiProvider build() {
      return new OpenAiProvider(baseUrl(), resolvedApiKey(), client(), asyncTransport(), maxResponseBytes(), maxEventLineChars(),
          java.util.Map.copyOf(promptCacheKeys), promptCacheKeyPerTask);
    }
  }
}
