package dev.llmtask.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a simulator script, the JSON form of {@link LlmSimulator#enqueue} and {@link
 * LlmSimulator#randomFault} calls, for {@link LlmSimulator#loadScript} and the standalone {@link
 * LlmSimulatorMain}. The format is documented on {@link LlmSimulator#loadScript}.
 */
final class SimulatorScript {

  // lists, not sets: error messages name fields in this order
  private static final List<String> MATCHERS =
      List.of("task", "model", "provider", "streamed", "bodyContains");
  private static final List<String> ANSWERS =
      List.of("json", "generated", "refusal", "truncated", "status", "fault");
  private static final List<String> OTHER_FIELDS =
      List.of(
          "type", "code", "message", "afterDeltas", "stallMs", "errorType", "delayMs", "headers",
          "usage", "chunkSize", "chunkDelayMs");

  private SimulatorScript() {}

  /** Parses {@code text} and queues its replies and random faults on {@code simulator}. */
  static int apply(String text, LlmSimulator simulator) {
    JsonNode script;
    try {
      script = WireResponse.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("script: not JSON: " + e.getOriginalMessage());
    }
    if (script == null || !script.isObject()) {
      throw new IllegalArgumentException("script: expected an object {\"replies\": [...]}");
    }
    checkFields("script", script, Set.of("replies", "randomFaults"));
    // Parse everything first, so a bad entry queues nothing.
    List<Runnable> steps = new ArrayList<>();
    JsonNode replies = array(script, "replies");
    for (int i = 0; i < replies.size(); i++) {
      String where = "script replies[" + i + "]";
      JsonNode entry = object(where, replies.get(i));
      checkFields(where, entry, union(MATCHERS, ANSWERS, OTHER_FIELDS));
      SimulatedReply reply = reply(where, entry);
      Predicate<RecordedRequest> match = match(where, entry);
      steps.add(match == null ? () -> simulator.enqueue(reply) : () -> simulator.enqueue(match, reply));
    }
    JsonNode faults = array(script, "randomFaults");
    for (int i = 0; i < faults.size(); i++) {
      String where = "script randomFaults[" + i + "]";
      JsonNode entry = object(where, faults.get(i));
      checkFields(where, entry, Set.of("probability", "seed", "reply"));
      double probability = number(where, entry, "probability");
      long seed = entry.has("seed") ? (long) number(where, entry, "seed") : LlmSimulator.DEFAULT_SEED;
      JsonNode replyNode = object(where + ".reply", entry.get("reply"));
      checkFields(where + ".reply", replyNode, union(ANSWERS, OTHER_FIELDS));
      SimulatedReply fault = reply(where + ".reply", replyNode);
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException(where + ": probability must be within 0..1");
      }
      steps.add(() -> simulator.randomFault(probability, seed, fault));
    }
    steps.forEach(Runnable::run);
    return replies.size() + faults.size();
  }

  private static Predicate<RecordedRequest> match(String where, JsonNode entry) {
    Predicate<RecordedRequest> match = null;
    for (String field : MATCHERS) {
      JsonNode value = entry.get(field);
      if (value == null) {
        continue;
      }
      Predicate<RecordedRequest> test;
      if (field.equals("streamed")) {
        if (!value.isBoolean()) {
          throw new IllegalArgumentException(where + ": \"streamed\" must be true or false");
        }
        boolean streamed = value.booleanValue();
        test = r -> r.streamed() == streamed;
      } else {
        String expected = text(where, entry, field);
        switch (field) {
          case "task":
            test = r -> expected.equals(r.task());
            break;
          case "model":
            test = r -> expected.equals(r.model());
            break;
          case "provider":
            if (!expected.equals("openai") && !expected.equals("anthropic")) {
              throw new IllegalArgumentException(where + ": \"provider\" must be openai or anthropic");
            }
            test = r -> expected.equals(r.provider());
            break;
          default: // bodyContains
            test = r -> r.body().contains(expected);
        }
      }
      match = match == null ? test : match.and(test);
    }
    return match;
  }

  private static SimulatedReply reply(String where, JsonNode entry) {
    List<String> answers = new ArrayList<>();
    for (String field : ANSWERS) {
      if (entry.has(field) && !(field.equals("json") && entry.has("fault"))) {
        answers.add(field);
      }
    }
    if (answers.size() != 1) {
      throw new IllegalArgumentException(
          where + ": needs exactly one of json, generated, refusal, truncated, status, fault; got "
              + answers);
    }
    SimulatedReply reply;
    switch (answers.get(0)) {
      case "json":
        reply = SimulatedReply.json(answerText(where, entry));
        break;
      case "generated":
        reply = SimulatedReply.generated();
        break;
      case "refusal":
        reply = SimulatedReply.refusal(text(where, entry, "refusal"));
        break;
      case "truncated":
        reply = SimulatedReply.truncated(text(where, entry, "truncated"));
        break;
      case "status":
        reply = status(where, entry);
        break;
      default:
        reply = fault(where, entry);
    }
    return modified(where, entry, reply);
  }

  private static SimulatedReply status(String where, JsonNode entry) {
    int status = (int) number(where, entry, "status");
    try {
      if (entry.has("type") || entry.has("message") || entry.has("code")) {
        String code = entry.has("code") ? text(where, entry, "code") : null;
        return SimulatedReply.error(
            status, text(where, entry, "type"), code, text(where, entry, "message"));
      }
      return SimulatedReply.status(status);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static SimulatedReply fault(String where, JsonNode entry) {
    String fault = text(where, entry, "fault");
    switch (fault) {
      case "rate_limited":
        return SimulatedReply.rateLimited();
      case "quota_exhausted":
        return SimulatedReply.quotaExhausted();
      case "overloaded":
        return SimulatedReply.overloaded();
      case "context_too_long":
        return SimulatedReply.contextTooLong();
      case "drop_connection":
        return SimulatedReply.dropConnection();
      case "invalid_json":
        return SimulatedReply.invalidJson();
      case "truncated_body":
        return SimulatedReply.truncatedBody();
      case "cut_stream":
        return SimulatedReply.cutStream(answerText(where, entry), deltas(where, entry));
      case "stalled_stream":
        return SimulatedReply.stalledStream(
            answerText(where, entry),
            deltas(where, entry),
            Duration.ofMillis((long) number(where, entry, "stallMs")));
      case "stream_error":
        return SimulatedReply.streamError(
            answerText(where, entry), deltas(where, entry), text(where, entry, "errorType"));
      default:
        throw new IllegalArgumentException(
            where + ": unknown fault \"" + fault + "\"; one of rate_limited, quota_exhausted,"
                + " overloaded, context_too_long, drop_connection, invalid_json, truncated_body, cut_stream,"
                + " stalled_stream, stream_error");
    }
  }

  private static SimulatedReply modified(String where, JsonNode entry, SimulatedReply reply) {
    try {
      if (entry.has("delayMs")) {
        reply = reply.withDelay(Duration.ofMillis((long) number(where, entry, "delayMs")));
      }
      if (entry.has("headers")) {
        JsonNode headers = object(where + ".headers", entry.get("headers"));
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> header = it.next();
          reply = reply.withHeader(header.getKey(), text(where + ".headers", headers, header.getKey()));
        }
      }
      if (entry.has("usage")) {
        JsonNode usage = object(where + ".usage", entry.get("usage"));
        checkFields(where + ".usage", usage, Set.of("input", "output", "cached"));
        reply =
            reply.withUsage(
                (int) number(where + ".usage", usage, "input"),
                (int) number(where + ".usage", usage, "output"),
                usage.has("cached") ? (int) number(where + ".usage", usage, "cached") : 0);
      }
      if (entry.has("chunkSize")) {
        reply = reply.withChunkSize((int) number(where, entry, "chunkSize"));
      }
      if (entry.has("chunkDelayMs")) {
        reply = reply.withChunkDelay(Duration.ofMillis((long) number(where, entry, "chunkDelayMs")));
      }
      return reply;
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(where)
          ? e
          : new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  // ---- field readers: each names the entry and the field in its error ------------------------

  /** The answer: a JSON value sent compactly, or a string sent verbatim (e.g. invalid JSON). */
  private static String answerText(String where, JsonNode entry) {
    JsonNode json = entry.get("json");
    if (json == null) {
      throw new IllegalArgumentException(where + ": this fault needs \"json\", the streamed answer");
    }
    return json.isTextual() ? json.asText() : json.toString();
  }

  private static int deltas(String where, JsonNode entry) {
    return (int) number(where, entry, "afterDeltas");
  }

  private static String text(String where, JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
    }
    return value.asText();
  }

  private static double number(String where, JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number");
    }
    return value.asDouble();
  }

  private static JsonNode object(String where, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object");
    }
    return node;
  }

  private static JsonNode array(JsonNode script, String field) {
    JsonNode node = script.get(field);
    if (node == null) {
      return WireResponse.MAPPER.createArrayNode();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("script: \"" + field + "\" must be an array");
    }
    return node;
  }

  private static void checkFields(String where, JsonNode node, Set<String> allowed) {
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + name + "\"");
              }
            });
  }

  @SafeVarargs
  private static Set<String> union(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> set : lists) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }
}
