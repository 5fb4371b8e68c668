package dev.llmtask.provider.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.Sampling;
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
 * Anthropic Messages ({@code POST {baseUrl}/v1/messages}) with structured output by a forced tool:
 * the task's schema is the tool's {@code input_schema} and {@code tool_choice} names it.
 *
 * <pre>{@code
 * AnthropicProvider claude = AnthropicProvider.builder().apiKey(System.getenv("LLM_API_KEY")).build();
 * }</pre>
 *
 * The key is sent only in the {@code x-api-key} header; it never appears in {@link #toString()},
 * logs or exception messages.
 */
public final class AnthropicProvider extends HttpProvider {
  /** The public Anthropic API. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
  /** The API version header value this adapter speaks. */
  public static final String API_VERSION = "2023-06-01";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final String apiKey;
  /** Tasks whose system prompt carries a prompt-cache breakpoint; {@code null}: every task. */
  private final java.util.Set<String> cachedSystemPrompts;

  private AnthropicProvider(URI baseUrl, String key, HttpClient client, AsyncTransport asyncTransport, int maxResponseBytes, int maxEventLineChars,
      java.util.Set<String> cachedSystemPrompts) {
    super(ProviderSettings.endpoint(baseUrl, "v1/messages"), client, asyncTransport, maxResponseBytes, maxEventLineChars);
    this.apiKey = key;
    this.cachedSystemPrompts = cachedSystemPrompts;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "anthropic";
  }

  /** Anthropic Messages takes temperature (at most 1), top_p, max_tokens and stop_sequences; it has no seed. */
  @Override
  public void checkSampling(Sampling sampling) {
    if (sampling.seed() != null) {
      throw new IllegalArgumentException("seed: Anthropic Messages has no seed parameter; leave seed unset for"
          + " routes on an Anthropic provider");
    }
    if (sampling.temperature() != null && sampling.temperature() > 1) {
      throw new IllegalArgumentException("temperature " + sampling.temperature() + ": Anthropic Messages accepts 0 to 1;"
          + " set at most 1 for routes on an Anthropic provider");
    }
  }

  @Override
  protected void headers(HttpRequest.Builder http) {
    http.setHeader("anthropic-version", API_VERSION);
    if (apiKey != null) {
      http.setHeader("x-api-key", apiKey);
    }
  }

  @Override
  protected ModelReply read(ModelRequest request, int status, HttpHeaders headers, byte[] body) {
    return read(status, headers, body, request.schema().name());
  }

  @Override
  protected SseEvents streamEvents(ModelRequest request, ModelStreamListener listener) {
    return new AnthropicStreamEvents(request.schema().name(), listener);
  }

  @Override
  protected ProviderException streamError(int status, HttpHeaders headers, byte[] body) {
    return error(status, headers, parseJson(body), headers.firstValue("request-id").orElse(null));
  }

  @Override
  protected ProviderException errorBodyIn2xx(HttpHeaders headers, JsonNode body) {
    return body != null && "error".equals(body.path("type").asText())
        ? errorIn2xx(HttpFailures.IN_BODY, body, headers.firstValue("request-id").orElse(null)) : null;
  }

  @Override
  protected String baseUrlAdvice() {
    return "Anthropic's base URL is the host without /v1 (e.g. https://api.anthropic.com), since the adapter adds"
        + " v1/messages";
  }

  /** The request body; the schema is embedded as is as the forced tool's input schema. */
  @Override
  protected byte[] body(ModelRequest r, boolean stream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + r.userPrompt().length() + r.schema().anthropic().length());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeNumberField("max_tokens", r.maxOutputTokens());
      writeSampling(g, r.sampling(), "stop_sequences"); // checkSampling refused a seed when the route was wired
      if (stream) {
        g.writeBooleanField("stream", true);
      }
      if (r.systemPrompt() != null && cachesSystemPrompt(r.task())) {
        // a breakpoint needs the block form; the prefix tools → system is cached, 5 minutes
        g.writeArrayFieldStart("system");
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", r.systemPrompt());
        g.writeObjectFieldStart("cache_control");
        g.writeStringField("type", "ephemeral");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
      } else if (r.systemPrompt() != null) {
        g.writeStringField("system", r.systemPrompt());
      }
      g.writeArrayFieldStart("messages");
      message(g, "user", r.userPrompt());
      for (Repair repair : r.repairs()) {
        message(g, "assistant", repair.answer() == null || repair.answer().isBlank() ? "(no answer)" : repair.answer());
        message(g, "user", repair.instruction());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("tools");
      g.writeStartObject();
      g.writeStringField("name", r.schema().name());
      g.writeStringField("description", "Record the result of the task " + r.task() + ". Always answer by calling this tool.");
      g.writeFieldName("input_schema");
      g.writeRawValue(r.schema().anthropic());
      g.writeEndObject();
      g.writeEndArray();
      g.writeObjectFieldStart("tool_choice");
      g.writeStringField("type", "tool");
      g.writeStringField("name", r.schema().name());
      g.writeEndObject();
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

  static ModelReply read(int status, HttpHeaders headers, byte[] bytes, String tool) {
    String requestId = headers.firstValue("request-id").orElse(null);
    JsonNode body = parseJson(bytes);
    boolean errorBody = body != null && "error".equals(body.path("type").asText());
    if (status < 200 || status > 299 || errorBody) {
      throw error(status < 200 || status > 299 ? status : 500, headers, body, requestId);
    }
    if (body == null || !body.isObject()) {
      throw HttpFailures.unreadable(status, "not a JSON object", requestId);
    }
    String output = null;
    StringBuilder text = new StringBuilder();
    for (JsonNode block : body.path("content")) {
      String type = block.path("type").asText();
      if ("tool_use".equals(type) && tool.equals(block.path("name").asText()) && output == null) {
        output = block.path("input").toString();
      } else if ("text".equals(type)) {
        text.append(block.path("text").asText());
      }
    }
    Finish finish = finish(body.path("stop_reason").asText("end_turn"));
    if (output == null && finish == Finish.COMPLETE) {
      output = text.toString(); // no tool call: the text is judged (and re-asked) like any invalid answer
    }
    return new ModelReply(output, finish, finish == Finish.REFUSED ? text.toString() : null,
        usage(body.path("usage")), requestId, body.path("id").asText(null), body.path("model").asText(null));
  }

  static Finish finish(String stopReason) {
    return switch (stopReason) {
      case "refusal" -> Finish.REFUSED;
      case "max_tokens", "model_context_window_exceeded" -> Finish.TRUNCATED;
      default -> Finish.COMPLETE;
    };
  }

  /** Anthropic's {@code input_tokens} excludes cache reads and writes; the record's input count includes them. */
  static Usage usage(JsonNode u) {
    if (!u.isObject()) {
      return Usage.NONE;
    }
    long cacheRead = u.path("cache_read_input_tokens").asLong(0);
    long cacheWrite = u.path("cache_creation_input_tokens").asLong(0);
    return new Usage(u.path("input_tokens").asLong(0) + cacheRead + cacheWrite, u.path("output_tokens").asLong(0), cacheRead,
        cacheWrite);
  }

  static ProviderException error(int status, HttpHeaders headers, JsonNode body, String requestId) {
    Fields f = new Fields(body, requestId);
    return f.advised(HttpFailures.classify(status, headers, f.type, f.code, f.quota, f.requestId));
  }

  /** An error object that came with a 2xx status ({@link HttpFailures#IN_STREAM} or {@link HttpFailures#IN_BODY}). */
  static ProviderException errorIn2xx(String where, JsonNode body, String requestId) {
    Fields f = new Fields(body, requestId);
    return f.advised(HttpFailures.errorIn2xx(where, statusOf(f.type), f.type, f.code, f.quota, f.requestId));
  }

  /** What an error body says, read once; the free-text message is only tested, never kept. */
  private static final class Fields {
    final String type;
    final String code;
    final boolean quota;
    final boolean promptTooLong;
    final String requestId;

    Fields(JsonNode body, String requestId) {
      JsonNode error = body == null ? null : body.path("error");
      this.type = error != null && error.path("type").isTextual() ? error.path("type").asText() : null;
      this.code = error != null && error.path("details").path("error_code").isTextual()
          ? error.path("details").path("error_code").asText() : null;
      this.quota = "billing_error".equals(type) || (code != null && code.contains("spend_limit"));
      this.promptTooLong = error != null && error.path("message").asText("").strip().toLowerCase(java.util.Locale.ROOT)
          .startsWith("prompt is too long");
      this.requestId = requestId == null && body != null && body.path("request_id").isTextual()
          ? body.path("request_id").asText() : requestId;
    }

    ProviderException advised(ProviderException e) {
      return promptTooLong ? HttpFailures.contextTooLong(e) : e;
    }
  }

  /** An error with no HTTP status of its own: the status the same error type has as a response. */
  static int statusOf(String type) {
    if (type == null) {
      return 500;
    }
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 500;
    };
  }

  private boolean cachesSystemPrompt(String task) {
    return cachedSystemPrompts == null || cachedSystemPrompts.contains(task);
  }

  @Override
  public String toString() {
    return "AnthropicProvider[endpoint=" + endpoint() + ", apiKey=" + (apiKey == null ? "none" : "set") + "]";
  }

  /** Builder of {@link AnthropicProvider}: base URL (default {@code https://api.anthropic.com}), key, timeouts. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private final java.util.Set<String> cachedSystemPrompts = new java.util.HashSet<>();
    private boolean cacheEverySystemPrompt;

    private Builder() {
      super(DEFAULT_BASE_URL, "LLM_API_KEY", "ANTHROPIC_API_KEY");
    }

    /**
     * Marks the system prompt of the task {@code taskName} as a prompt-cache breakpoint
     * ({@code "cache_control": {"type": "ephemeral"}}, 5 minutes): later requests with the same
     * system prompt read it from Anthropic's cache at a tenth of the input price; the first writes
     * it at 1.25×. Worth it for a long, stable system prompt (at least 1,024–4,096 tokens by model;
     * a shorter one is silently not cached). The record reports reads as {@code cachedInputTokens}
     * and writes as the {@code prompt_cache_write_tokens} attribute.
     */
    public Builder cacheSystemPrompt(String taskName) {
      cachedSystemPrompts.add(ProviderSettings.notBlank(taskName, "taskName"));
      return this;
    }

    /** Marks the system prompt of every task as a prompt-cache breakpoint; see {@link #cacheSystemPrompt(String)}. */
    public Builder cacheSystemPrompts() {
      cacheEverySystemPrompt = true;
      return this;
    }

    public AnthropicProvider build() {
      java.util.Set<String> cached = cacheEverySystemPrompt ? null : java.util.Set.copyOf(cachedSystemPrompts);
      return new AnthropicProvider(baseUrl(), resolvedApiKey(), client(), asyncTransport(), maxResponseBytes(), maxEventLineChars(), cached);
    }
  }
}
