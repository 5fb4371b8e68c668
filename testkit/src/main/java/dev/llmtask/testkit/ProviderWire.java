package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;

/**
 * One provider's wire dialect: how to read a request and how to render every kind of response.
 *
 * <p>Extension point for streaming: a request with {@code "stream": true} is currently answered
 * with a 400 by {@link LlmSimulator}. SSE support would add a method here (e.g. {@code
 * stream(ReplyContext, Outcome, String, Usage, cutAfterChunks)}) producing the provider's event
 * sequence from the same outcome, and a branch in the simulator writing it with chunked encoding.
 */
interface ProviderWire {

  /** The kind of successful (HTTP 200) answer to render. */
  enum Outcome {
    ANSWER,
    REFUSAL,
    TRUNCATED
  }

  /** Per-request facts needed to render a response. */
  record ReplyContext(long index, JsonNode request, int requestChars, Random random) {

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

  /** A provider-shaped error. */
  WireResponse error(ReplyContext ctx, SimulatedReply.ErrorSpec spec);

  /** The provider's 404 for an unknown route. */
  WireResponse notFound(ReplyContext ctx, String method, String path);

  /** The provider's 400 for a request it cannot process. */
  WireResponse badRequest(ReplyContext ctx, String message);
}
