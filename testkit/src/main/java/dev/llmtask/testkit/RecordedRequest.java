package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A request the {@link LlmSimulator} received, as the provider would have seen it — minus
 * secrets: the values of {@code authorization}, {@code proxy-authorization}, {@code x-api-key} and
 * {@code api-key} are replaced by {@value #REDACTED}, so a test can check that a key was sent
 * without the key ever being stored.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the request path without query, e.g. {@code /v1/chat/completions}
 * @param headers request headers with lower-case names (repeated headers joined with {@code ", "});
 *     secret values redacted
 * @param body the raw request body (UTF-8)
 * @param json the parsed body, or null when it is not JSON; {@link #json()} returns a copy
 * @param task the task the request is for (OpenAI {@code response_format.json_schema.name};
 *     Anthropic forced or first tool name), or null
 * @param provider {@code "openai"} or {@code "anthropic"} (for unknown paths: {@code "anthropic"}
 *     when an {@code x-api-key} or {@code anthropic-version} header was sent, else {@code
 *     "openai"})
 * @param receivedAt wall-clock arrival time
 * @param receivedNanos {@link System#nanoTime()} at arrival, to measure gaps such as backoff delays
 */
public record RecordedRequest(
    String method,
    String path,
    Map<String, String> headers,
    String body,
    JsonNode json,
    String task,
    String provider,
    Instant receivedAt,
    long receivedNanos) {

  /** The placeholder stored instead of a secret header value. */
  public static final String REDACTED = "[redacted]";

  /** Canonical constructor; copies {@code headers} and {@code json}. */
  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(body, "body");
    json = json == null ? null : json.deepCopy();
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** A copy of the parsed body (so callers cannot change the recording), or null. */
  @Override
  public JsonNode json() {
    return json == null ? null : json.deepCopy();
  }

  /** Whether the request asked for a streamed answer ({@code "stream": true}). */
  public boolean streamed() {
    return json != null && json.path("stream").asBoolean(false);
  }

  /** The {@code model} the request named, or null. */
  public String model() {
    JsonNode model = json == null ? null : json.get("model");
    return model != null && model.isTextual() ? model.asText() : null;
  }

  /** The header's value (name case-insensitive), or null when absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** Whether the request carried the header (name case-insensitive), redacted or not. */
  public boolean hasHeader(String name) {
    return header(name) != null;
  }

  /** The duration in milliseconds from {@code earlier}'s arrival to this one's. */
  public double millisSince(RecordedRequest earlier) {
    return (receivedNanos - earlier.receivedNanos) / 1_000_000.0;
  }
}
