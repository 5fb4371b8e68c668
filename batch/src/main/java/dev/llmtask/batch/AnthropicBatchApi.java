package dev.llmtask.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.provider.HttpProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** The Anthropic Message Batches API: {@code POST /v1/messages/batches} with the requests inline, results JSONL. */
final class AnthropicBatchApi extends BatchApi {
  static final int MAX_REQUESTS = 100_000;
  static final long MAX_BYTES = 256L * 1024 * 1024;

  AnthropicBatchApi(URI baseUrl, String apiKey, int maxRequests, long maxBytes) {
    super(baseUrl, apiKey, maxRequests, maxBytes);
  }

  @Override
  BatchApi copy(int maxRequests, long maxBytes) {
    return new AnthropicBatchApi(baseUrl, apiKey, maxRequests, maxBytes);
  }

  @Override
  String provider() {
    return "anthropic";
  }

  @Override
  boolean renders(HttpProvider provider) {
    return provider instanceof AnthropicProvider;
  }

  @Override
  byte[] line(String customId, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 40);
    out.writeBytes(("{\"custom_id\":\"" + customId + "\",\"params\":").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    out.write('}');
    return out.toByteArray();
  }

  @Override
  long overhead(int lines) {
    return "{\"requests\":[]}".length() + Math.max(0, lines - 1); // the brackets and the commas
  }

  @Override
  String create(List<byte[]> lines, String submissionId) throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"requests\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.writeBytes(lines.get(i));
    }
    body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    JsonNode batch = JSON.readTree(send("create a message batch", HttpRequest.newBuilder(batches(""))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
    return batch.path("id").asText();
  }

  private URI batches(String rest) {
    return resolve(baseUrl, "v1/messages/batches" + rest);
  }

  @Override
  Poll retrieve(String batchId) throws IOException, InterruptedException {
    JsonNode b = JSON.readTree(send("retrieve a message batch", HttpRequest.newBuilder(batches("/" + batchId)).GET()));
    String status = b.path("processing_status").asText();
    boolean ended = "ended".equals(status);
    String resultsUrl = b.path("results_url").isTextual() ? b.path("results_url").asText() : null;
    // an ended batch's items say each how it ended; the batch itself completed
    return new Poll(batchId, status, ended ? Terminal.COMPLETED : null, null, null, resultsUrl);
  }

  @Override
  void results(Poll poll, Consumer<ResultLine> each) throws IOException, InterruptedException {
    URI url = poll.resultsUrl() != null ? URI.create(poll.resultsUrl()) : batches("/" + poll.batchId() + "/results");
    byte[] content = send("download message batch results", HttpRequest.newBuilder(url)
        .header("accept", "application/binary").GET());
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode l = JSON.readTree(line);
      String customId = l.path("custom_id").asText();
      JsonNode result = l.path("result");
      each.accept(switch (result.path("type").asText()) {
        case "succeeded" -> new ResultLine(customId, Kind.RESPONSE, 200, JSON.writeValueAsBytes(result.path("message")), null);
        case "expired" -> new ResultLine(customId, Kind.EXPIRED, 0, null, "expired");
        case "canceled" -> new ResultLine(customId, Kind.CANCELLED, 0, null, "canceled");
        default -> new ResultLine(customId, Kind.ERROR, 0, null,
            result.path("error").path("error").path("type").asText("errored"));
      });
    }
  }

  @Override
  void cancel(String batchId) throws IOException, InterruptedException {
    send("cancel a message batch", HttpRequest.newBuilder(batches("/" + batchId + "/cancel"))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Override
  void authenticate(HttpRequest.Builder request) {
    if (apiKey != null) {
      request.setHeader("x-api-key", apiKey);
    }
    request.setHeader("anthropic-version", "2023-06-01");
  }
}
