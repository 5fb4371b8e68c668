package dev.llmtask.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmtask.provider.HttpFailures;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelStreamListener;
import dev.llmtask.provider.SseEvents;
import java.io.IOException;

/**
 * Reads an OpenAI chat-completion stream: {@code data:} chunks with {@code choices[0].delta},
 * a usage chunk with {@code "choices": []}, then {@code data: [DONE]}; a clean close after the
 * finish reason also ends it. A data object with a top-level {@code error} fails the call.
 */
final class OpenAiStreamEvents implements SseEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelStreamListener listener;
  private final StringBuilder content = new StringBuilder(512);
  private StringBuilder refusal;
  private String finishReason = "stop";
  private boolean sawFinish;
  private Usage usage = Usage.NONE;
  private String id;
  private String model;

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
      throw OpenAiProvider.errorIn2xx(HttpFailures.IN_STREAM, chunk, id);
    }
    if (model == null) {
      model = OpenAiProvider.text(chunk, "model");
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
      sawFinish = true;
    }
    if (chunk.path("usage").isObject()) {
      usage = OpenAiProvider.usage(chunk.path("usage"));
    }
    return false;
  }

  /**
   * OpenAI-compatible servers often close the stream after the finish reason and the usage chunk
   * without {@code data: [DONE]}: the reply is whole once a finish reason came.
   */
  @Override
  public boolean completeAtClose() {
    return sawFinish;
  }

  @Override
  public ModelReply reply() {
    String r = refusal == null ? null : refusal.toString();
    return new ModelReply(content.toString(), OpenAiProvider.finish(r, finishReason), r, usage, id, id, model);
  }
}
