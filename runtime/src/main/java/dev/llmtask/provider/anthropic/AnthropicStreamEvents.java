package dev.llmtask.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.provider.HttpFailures;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelStreamListener;
import dev.llmtask.provider.SseEvents;

/**
 * Reads an Anthropic Messages stream: {@code message_start} (input usage) → per block
 * {@code content_block_start}, {@code content_block_delta} ({@code input_json_delta} or
 * {@code text_delta}), {@code content_block_stop} → {@code message_delta} (stop reason, output
 * usage) → {@code message_stop}. {@code ping} may come anywhere; an {@code error} event on the
 * 200 stream fails the call with the status its type stands for.
 */
final class AnthropicStreamEvents implements SseEvents {

  private final String tool;
  private final ModelStreamListener listener;
  private final StringBuilder toolInput = new StringBuilder(512);
  private final StringBuilder text = new StringBuilder();
  private boolean inTool;
  private boolean sawTool;
  private String stopReason = "end_turn";
  private long inputTokens;
  private long cacheRead;
  private long cacheWrite;
  private long outputTokens;
  private String id;
  private String model;

  AnthropicStreamEvents(String tool, ModelStreamListener listener) {
    this.tool = tool;
    this.listener = listener;
  }

  @Override
  public boolean onEvent(String event, String data) {
    listener.onActivity();
    if (event == null || "ping".equals(event)) {
      return false;
    }
    JsonNode json = dev.llmtask.provider.HttpProvider.parseJson(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (json == null) {
      throw HttpFailures.unreadable(200, "a stream event is not JSON", id);
    }
    switch (event) {
      case "message_start" -> {
        JsonNode message = json.path("message");
        id = message.path("id").asText(null);
        model = message.path("model").asText(null);
        JsonNode u = message.path("usage");
        inputTokens = u.path("input_tokens").asLong(0);
        cacheRead = u.path("cache_read_input_tokens").asLong(0);
        cacheWrite = u.path("cache_creation_input_tokens").asLong(0);
        outputTokens = u.path("output_tokens").asLong(0);
      }
      case "content_block_start" -> {
        JsonNode block = json.path("content_block");
        inTool = "tool_use".equals(block.path("type").asText()) && tool.equals(block.path("name").asText()) && !sawTool;
        sawTool |= inTool;
      }
      case "content_block_delta" -> {
        JsonNode delta = json.path("delta");
        switch (delta.path("type").asText()) {
          case "input_json_delta" -> {
            if (inTool) {
              String piece = delta.path("partial_json").asText("");
              toolInput.append(piece);
              if (!piece.isEmpty()) {
                listener.onDelta(piece);
              }
            }
          }
          case "text_delta" -> {
            String piece = delta.path("text").asText("");
            text.append(piece);
            if (!sawTool && !piece.isEmpty()) {
              listener.onDelta(piece);
            }
          }
          default -> { }
        }
      }
      case "content_block_stop" -> inTool = false;
      case "message_delta" -> {
        if (json.path("delta").path("stop_reason").isTextual()) {
          stopReason = json.path("delta").path("stop_reason").asText();
        }
        if (json.path("usage").path("output_tokens").canConvertToLong()) {
          outputTokens = json.path("usage").path("output_tokens").asLong();
        }
      }
      case "message_stop" -> {
        return true;
      }
      case "error" -> throw AnthropicProvider.errorIn2xx(HttpFailures.IN_STREAM, json, id);
      default -> { }
    }
    return false;
  }

  @Override
  public ModelReply reply() {
    ModelReply.Finish finish = AnthropicProvider.finish(stopReason);
    String output = sawTool ? toolInput.toString() : text.toString();
    if (sawTool && output.isBlank()) {
      output = "{}"; // a tool call with no input deltas has an empty object as input
    }
    return new ModelReply(finish == ModelReply.Finish.REFUSED ? null : output, finish,
        finish == ModelReply.Finish.REFUSED ? text.toString() : null,
        new Usage(inputTokens + cacheRead + cacheWrite, outputTokens, cacheRead, cacheWrite), id, id, model);
  }
}
