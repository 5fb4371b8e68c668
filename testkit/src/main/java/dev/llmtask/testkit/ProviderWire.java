package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One provider's wire dialect: how to read a request and how to render every kind of response,
 * as one JSON body or as a stream of server-sent events.
 */
interface ProviderWire {

  /** The kind of successful (HTTP 200) answer to render. */
  enum Outcome {
    ANSWER,
    REFUSAL,
    TRUNCATED
  }

  /**
   * A streamed answer as ready-to-write SSE events (each ends with its blank line): the opening
   * events, one event per content delta, and the closing events. A stream fault writes a prefix
   * of this and breaks off; {@code headers} are the provider's response headers (without {@code
   * content-type}).
   */
  record EventStream(
      Map<String, String> headers, List<String> opening, List<String> deltas, List<String> closing) {}

  /** Per-request facts needed to render a response. */
  record ReplyContext(long index, JsonNode request, int requestChars, Random random, int cacheReadTokens,
      int cacheWriteTokens) {

    /** The model named in the request, or a placeholder. */
    String model(String fallback) {
      JsonNode model = request == null ? null : request.get("model");
      return model != null && model.isTextual() ? model.asText() : fallback;
    }

    /** A random identifier from {@code [A-Za-z0-9]}. */
    String randomId(int length) {
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return s.toString();
    }

    /** A random lower-case hexadecimal identifier. */
    String randomHex(int length) {
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        s.append(Character.forDigit(random.nextInt(16), 16));
      }
      return s.toString();
    }

    /** Estimated input tokens: request chars / 4, at least 1. */
    int estimatedInputTokens() {
      return Math.max(1, requestChars / 4);
    }

    /** {@code scripted} when not null, else the estimate: request chars / 4, answer chars / 4. */
    SimulatedReply.Usage usage(String answer, SimulatedReply.Usage scripted) {
      return scripted != null
          ? scripted
          : new SimulatedReply.Usage(estimatedInputTokens(), Math.max(1, answer.length() / 4), cacheReadTokens,
              cacheWriteTokens, true);
    }
  }

  /** {@code "openai"} or {@code "anthropic"}. */
  String provider();

  /** The task name the request is for, or null. */
  String taskOf(JsonNode request);

  /** The JSON Schema the answer must follow, or null. */
  JsonNode schemaOf(JsonNode request);

  /** A 200 with the model's answer. {@code usage} overrides the estimate when not null. */
  WireResponse success(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage);

  /** A 200 in which the model asks for {@code calls} instead of answering. */
  WireResponse toolCalls(ReplyContext ctx, List<ScriptedToolCall> calls, SimulatedReply.Usage usage);

  /**
   * The events of a streamed 200 answer, with the text split into deltas of at most {@code
   * chunkSize} characters. {@code usage} overrides the estimate when not null.
   */
  EventStream stream(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage, int chunkSize);

  /** The event that fails a stream midway on its HTTP 200 with an error of {@code errorType}. */
  String streamError(ReplyContext ctx, String errorType);

  /** A provider-shaped error. */
  WireResponse error(ReplyContext ctx, SimulatedReply.ErrorSpec spec);

  /** The provider's 404 for an unknown route. */
  WireResponse notFound(ReplyContext ctx, String method, String path);

  /** The provider's 400 for a request it cannot process. */
  WireResponse badRequest(ReplyContext ctx, String message);

  /** Splits {@code text} into pieces of at most {@code size} chars, never inside a surrogate pair. */
  static List<String> deltas(String text, int size) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + size);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end += end - start > 1 ? -1 : 1;
      }
      pieces.add(text.substring(start, end));
      start = end;
    }
    return pieces;
  }

  /** The message of a mid-stream error event, as the providers word them. */
  static String streamErrorMessage(String errorType) {
    switch (errorType) {
      case "overloaded_error":
        return "Overloaded";
      case "api_error":
      case "server_error":
        return "Internal server error";
      default:
        return "The stream failed (" + errorType + ", simulated by llmtask-testkit).";
    }
  }
}
