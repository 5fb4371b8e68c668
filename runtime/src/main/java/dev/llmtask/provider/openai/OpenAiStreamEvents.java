package dev.llmtask.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.provider.HttpFailures;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelStreamListener;
import dev.llmtask.provider.SseEvents;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Map;

/**
 * Reads an OpenAI chat-completion stream: {@code data:} chunks with {@code choices[0].delta},
 * a usage chunk with {@code "choices": []}, then {@code data: [DONE]}. A data object with a
 * top-level {@code error} fails the call.
 */
final class OpenAiStreamEvents implements SseEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private final ModelStreamListener listener;
  private final StringBuilder content = new StringBuilder(512);
  private StringBuilder refusal;
  private String finishReason = "stop";
  private Usage usage = Usage.NONE;
  private String id;

  OpenAiStreamEvents(ModelStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public boolean onEvent(String event, String data) {
    listener.onActivity();
    if ("[DONE]".equals(data.strip())) {
      return true;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(data);
    } catch (IOException e) {
      throw HttpFailures.unreadable(200, "a stream chunk is not JSON", id);
    }
    if (chunk == null) {
      return false;
    }
    if (chunk.hasNonNull("error")) {
      JsonNode error = chunk.path("error");
      throw OpenAiProvider.error(statusOf(error.path("type").asText(null)), NO_HEADERS, chunk, id);
    }
    if (id == null && chunk.path("id").isTextual()) {
      id = chunk.path("id").asText();
    }
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    if (delta.path("content").isTextual()) {
      String piece = delta.path("content").asText();
      if (!piece.isEmpty()) {
        content.append(piece);
        listener.onDelta(piece);
      }
    }
    if (delta.path("refusal").isTextual()) {
      (refusal == null ? refusal = new StringBuilder() : refusal).append(delta.path("refusal").asText());
    }
    if (choice.path("finish_reason").isTextual()) {
      finishReason = choice.path("finish_reason").asText();
    }
    if (chunk.path("usage").isObject()) {
      usage = OpenAiProvider.usage(chunk.path("usage"));
    }
    return false;
  }

  /** A mid-stream error has no HTTP status of its own; map its type to the status it stands for. */
  private static int statusOf(String type) {
    if (type == null) {
      return 500;
    }
    return switch (type) {
      case "rate_limit_exceeded", "tokens", "requests" -> 429;
      case "insufficient_quota" -> 429;
      case "invalid_request_error" -> 400;
      default -> 500;
    };
  }

  @Override
  public ModelReply reply() {
    String r = refusal == null ? null : refusal.toString();
    return new ModelReply(content.toString(), OpenAiProvider.finish(r, finishReason), r, usage, id);
  }
}
