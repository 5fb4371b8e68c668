package dev.llmtask.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmtask.provider.HttpProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** The OpenAI Batch API: upload a JSONL file ({@code purpose=batch}), {@code POST /batches}, read both result files. */
final class OpenAiBatchApi extends BatchApi {
  static final int MAX_REQUESTS = 50_000;
  static final long MAX_BYTES = 200L * 1024 * 1024;
  static final String ENDPOINT = "/v1/chat/completions";

  OpenAiBatchApi(URI baseUrl, String apiKey, int maxRequests, long maxBytes) {
    super(baseUrl, apiKey, maxRequests, maxBytes);
  }

  @Override
  BatchApi copy(int maxRequests, long maxBytes) {
    return new OpenAiBatchApi(baseUrl, apiKey, maxRequests, maxBytes);
  }

  @Override
  String provider() {
    return "openai";
  }

  @Override
  boolean renders(HttpProvider provider) {
    return provider instanceof OpenAiProvider;
  }

  @Override
  byte[] line(String customId, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 120);
    out.writeBytes(("{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"" + ENDPOINT + "\",\"body\":")
        .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Override
  long overhead(int lines) {
    return 0;
  }

  @Override
  String create(List<byte[]> lines, String submissionId) throws IOException, InterruptedException {
    String boundary = "llmtask-" + UUID.randomUUID();
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + submissionId
        + ".jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    lines.forEach(form::writeBytes);
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode file = JSON.readTree(send("upload the input file", HttpRequest.newBuilder(resolve(baseUrl, "files"))
        .header("content-type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()))));
    ObjectNode create = JSON.createObjectNode().put("input_file_id", file.path("id").asText())
        .put("endpoint", ENDPOINT).put("completion_window", "24h");
    create.putObject("metadata").put("llmtask_submission", submissionId);
    JsonNode batch = JSON.readTree(send("create a batch", HttpRequest.newBuilder(resolve(baseUrl, "batches"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(create)))));
    return batch.path("id").asText();
  }

  @Override
  Poll retrieve(String batchId) throws IOException, InterruptedException {
    JsonNode b = JSON.readTree(send("retrieve a batch", HttpRequest.newBuilder(resolve(baseUrl, "batches/" + batchId)).GET()));
    String status = b.path("status").asText();
    Terminal terminal = switch (status) {
      case "completed" -> Terminal.COMPLETED;
      case "expired" -> Terminal.EXPIRED;
      case "cancelled" -> Terminal.CANCELLED;
      case "failed" -> Terminal.FAILED;
      default -> null;
    };
    return new Poll(batchId, status, terminal, text(b, "output_file_id"), text(b, "error_file_id"), null);
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isTextual() ? node.path(field).asText() : null;
  }

  @Override
  void results(Poll poll, Consumer<ResultLine> each) throws IOException, InterruptedException {
    // both files: reading only the output file would drop every failed request
    for (String fileId : new String[] {poll.outputFileId(), poll.errorFileId()}) {
      if (fileId == null) {
        continue;
      }
      byte[] content = send("download a result file",
          HttpRequest.newBuilder(resolve(baseUrl, "files/" + fileId + "/content")).GET());
      for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          each.accept(parse(JSON.readTree(line)));
        }
      }
    }
  }

  private static ResultLine parse(JsonNode line) throws IOException {
    String customId = line.path("custom_id").asText();
    JsonNode error = line.path("error");
    if (error.isObject()) {
      String code = error.path("code").asText("");
      return "batch_expired".equals(code) ? new ResultLine(customId, Kind.EXPIRED, 0, null, "batch_expired")
          : "batch_cancelled".equals(code) ? new ResultLine(customId, Kind.CANCELLED, 0, null, code)
          : new ResultLine(customId, Kind.ERROR, 0, null, code.isEmpty() ? "error" : code);
    }
    JsonNode response = line.path("response");
    byte[] body = JSON.writeValueAsBytes(response.path("body"));
    return new ResultLine(customId, Kind.RESPONSE, response.path("status_code").asInt(0), body, null);
  }

  @Override
  void cancel(String batchId) throws IOException, InterruptedException {
    send("cancel a batch", HttpRequest.newBuilder(resolve(baseUrl, "batches/" + batchId + "/cancel"))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Override
  void authenticate(HttpRequest.Builder request) {
    if (apiKey != null) {
      request.setHeader("Authorization", "Bearer " + apiKey);
    }
  }
}
