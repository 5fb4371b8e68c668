package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * How the simulator imitates the providers' prompt caches, so cached-token accounting is tested end
 * to end: OpenAI caches automatically, reporting as {@code cached_tokens} the prefix a request shares
 * with an earlier one, from 1,024 tokens on, in steps of 128; Anthropic caches a system prompt sent as
 * blocks with {@code cache_control} of at least 1,024 tokens, reporting the first request's tokens
 * as {@code cache_creation_input_tokens} and later ones' as {@code cache_read_input_tokens}. Tokens
 * are characters / 4, as everywhere in the simulator. Only requests without scripted usage use it.
 */
final class PromptCacheModel {
  static final int MIN_TOKENS = 1024;
  private static final int OPENAI_STEP = 128;
  private static final int REMEMBERED = 32;

  private final Deque<String> openAiPrompts = new ArrayDeque<>();
  private final Set<String> anthropicSystems = new HashSet<>();

  /** Cache reads and writes of one request: {@code {read, write}} in tokens. */
  synchronized int[] account(String provider, JsonNode request) {
    if (request == null) {
      return new int[2];
    }
    return "anthropic".equals(provider) ? anthropic(request) : openAi(request);
  }

  synchronized void reset() {
    openAiPrompts.clear();
    anthropicSystems.clear();
  }

  private int[] openAi(JsonNode request) {
    StringBuilder b = new StringBuilder();
    for (JsonNode m : request.path("messages")) {
      b.append(m.path("role").asText()).append('\u0000').append(text(m.path("content"))).append('\u0000');
    }
    String prompt = b.toString();
    int longest = 0;
    for (String earlier : openAiPrompts) {
      longest = Math.max(longest, commonPrefix(prompt, earlier));
    }
    openAiPrompts.addFirst(prompt);
    if (openAiPrompts.size() > REMEMBERED) {
      openAiPrompts.removeLast();
    }
    int tokens = longest / 4;
    return new int[] {tokens < MIN_TOKENS ? 0 : tokens / OPENAI_STEP * OPENAI_STEP, 0};
  }

  private int[] anthropic(JsonNode request) {
    JsonNode system = request.path("system");
    boolean marked = false;
    for (JsonNode block : system) {
      marked |= block.has("cache_control");
    }
    if (!system.isArray() || !marked) {
      return new int[2];
    }
    String text = text(system);
    int tokens = text.length() / 4;
    if (tokens < MIN_TOKENS) {
      return new int[2];
    }
    return anthropicSystems.add(text) ? new int[] {0, tokens} : new int[] {tokens, 0};
  }

  /** A message's text: a string, or the {@code text} of each block of an array. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode block : content) {
      b.append(block.path("text").asText());
    }
    return b.toString();
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
