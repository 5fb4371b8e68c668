package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Streamed requests over real loopback HTTP, and a strict reader of server-sent events. */
final class Sse {

  /** One event: its {@code event:} name (null when the stream sends none) and its data text. */
  record Event(String name, String data) {
    JsonNode json() {
      return TestHttp.json(data);
    }
  }

  /**
   * What a client read from a stream: the raw text, whether the stream ended with an I/O error
   * (the connection closed midway) rather than a clean end, and the response.
   */
  record Read(HttpResponse<InputStream> response, String text, boolean brokenOff) {
    List<Event> events() {
      return parse(text);
    }
  }

  private Sse() {}

  static String openAiStreamBody(String task, JsonNode schema, boolean includeUsage) {
    String options = includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "";
    return TestHttp.openAiBody(task, schema).replaceFirst("\\{", "{\"stream\":true," + options);
  }

  static String anthropicStreamBody(String task, JsonNode schema) {
    return TestHttp.anthropicBody(task, schema).replaceFirst("\\{", "{\"stream\":true,");
  }

  static HttpRequest.Builder openAi(LlmSimulator sim, String body) {
    return HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
        .header("authorization", "Bearer " + TestHttp.OPENAI_KEY)
        .header("content-type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpRequest.Builder anthropic(LlmSimulator sim, String body) {
    return HttpRequest.newBuilder(URI.create(sim.anthropicBaseUrl() + "/v1/messages"))
        .header("x-api-key", TestHttp.ANTHROPIC_KEY)
        .header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends the request and reads the whole stream, noting whether it broke off. */
  static Read read(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        TestHttp.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean brokenOff = false;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[512];
      for (int n; (n = in.read(buffer)) != -1; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (IOException midway) {
      brokenOff = true;
    }
    return new Read(response, bytes.toString(StandardCharsets.UTF_8), brokenOff);
  }

  /**
   * Parses SSE text strictly as the providers send it: every event is {@code [event: NAME\n]data:
   * TEXT\n\n}; comment lines ({@code :…}) are skipped; a trailing incomplete event is dropped.
   */
  static List<Event> parse(String text) {
    List<Event> events = new ArrayList<>();
    String name = null;
    String data = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, data));
        }
        name = null;
        data = null;
      } else if (line.startsWith(":")) {
        continue;
      } else if (line.startsWith("event: ")) {
        name = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        if (data != null) {
          throw new AssertionError("two data lines in one event: " + line);
        }
        data = line.substring("data: ".length());
      } else {
        throw new AssertionError("not an SSE line: " + line);
      }
    }
    return events;
  }
}
