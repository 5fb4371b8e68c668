package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The OpenAI Batch API ({@code /v1/files}, {@code /v1/batches}) and the Anthropic Message Batches
 * API ({@code /v1/messages/batches}) on the simulator. Status advances one step every
 * {@code pollsPerStatus} retrievals of a batch (OpenAI: validating, in_progress, finalizing, then
 * completed, or expired when an item expired; cancelling, then cancelled; Anthropic: in_progress,
 * then ended; canceling, then ended). Items are answered when the batch finishes, each as a
 * synchronous call of its request would be (scripted replies first, else a schema-valid generated
 * answer), except for the items the seeded fault rates pick: a provider error, an invalid answer
 * ({@code {}}) or an expired item.
 */
final class BatchApiSimulation {
  private static final String FILES = "/v1/files";
  private static final String BATCHES = "/v1/batches";
  private static final String MESSAGE_BATCHES = "/v1/messages/batches";

  /** Answers one item's request body as a synchronous call of {@code wire} would. */
  interface ItemAnswerer extends BiFunction<String, String, WireResponse> {}

  private final Object lock = new Object();
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, byte[]> files = new HashMap<>();
  private final Map<String, Batch> batches = new LinkedHashMap<>();
  private final long seed;
  private volatile int pollsPerStatus = 1;
  private volatile double providerErrors;
  private volatile double invalidAnswers;
  private volatile double expired;

  BatchApiSimulation(long seed) {
    this.seed = seed;
  }

  void pollsPerStatus(int polls) {
    if (polls < 1) {
      throw new IllegalArgumentException("pollsPerStatus must be at least 1, was " + polls);
    }
    this.pollsPerStatus = polls;
  }

  void faults(double providerErrors, double invalidAnswers, double expired) {
    for (double rate : new double[] {providerErrors, invalidAnswers, expired}) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("a batch fault rate is a probability from 0 to 1, was " + rate);
      }
    }
    if (providerErrors + invalidAnswers + expired > 1) {
      throw new IllegalArgumentException("the batch fault rates add up to more than 1");
    }
    this.providerErrors = providerErrors;
    this.invalidAnswers = invalidAnswers;
    this.expired = expired;
  }

  void reset() {
    synchronized (lock) {
      files.clear();
      batches.clear();
    }
    pollsPerStatus = 1;
    providerErrors = 0;
    invalidAnswers = 0;
    expired = 0;
  }

  /** The batches created so far, in order. */
  int batchCount() {
    synchronized (lock) {
      return batches.size();
    }
  }

  static boolean handles(String path) {
    return path.startsWith(FILES) || path.startsWith(BATCHES) || path.startsWith(MESSAGE_BATCHES);
  }

  /** Serves one Batch API request; {@code answerer} answers each item as a synchronous call. */
  WireResponse serve(String method, String path, String contentType, byte[] body, ItemAnswerer answerer,
      String baseUrl) {
    synchronized (lock) {
      if (path.startsWith(MESSAGE_BATCHES)) {
        return anthropic(method, path.substring(MESSAGE_BATCHES.length()), body, answerer, baseUrl);
      }
      if (path.startsWith(FILES)) {
        return files(method, path.substring(FILES.length()), contentType, body);
      }
      return openAi(method, path.substring(BATCHES.length()), body, answerer);
    }
  }

  // ---- OpenAI -------------------------------------------------------------------------------

  private WireResponse files(String method, String rest, String contentType, byte[] body) {
    if ("POST".equals(method) && rest.isEmpty()) {
      Map<String, byte[]> parts = multipart(contentType, body);
      if (parts == null || !parts.containsKey("file")) {
        return openAiError(400, "invalid_request_error", "expected multipart/form-data with a 'file' part");
      }
      String purpose = new String(parts.getOrDefault("purpose", new byte[0]), StandardCharsets.UTF_8).strip();
      if (!"batch".equals(purpose)) {
        return openAiError(400, "invalid_request_error", "purpose must be 'batch' here, was '" + purpose + "'");
      }
      byte[] file = parts.get("file");
      String id = "file-" + ids.incrementAndGet();
      files.put(id, file);
      ObjectNode out = WireResponse.MAPPER.createObjectNode().put("id", id).put("object", "file")
          .put("bytes", file.length).put("created_at", now()).put("filename", "batch.jsonl").put("purpose", "batch");
      return WireResponse.json(200, Map.of(), out);
    }
    if ("GET".equals(method) && rest.startsWith("/") && rest.endsWith("/content")) {
      byte[] file = files.get(rest.substring(1, rest.length() - "/content".length()));
      return file == null ? openAiError(404, "invalid_request_error", "No such File object")
          : new WireResponse(200, Map.of("content-type", "application/octet-stream"), file);
    }
    return openAiError(404, "invalid_request_error", "Invalid URL (" + method + " " + FILES + rest + ")");
  }

  private WireResponse openAi(String method, String rest, byte[] body, ItemAnswerer answerer) {
    if ("POST".equals(method) && rest.isEmpty()) {
      JsonNode req = parse(body);
      byte[] input = req == null ? null : files.get(req.path("input_file_id").asText());
      if (input == null) {
        return openAiError(400, "invalid_request_error", "input_file_id names no uploaded file");
      }
      if (!"24h".equals(req.path("completion_window").asText())) {
        return openAiError(400, "invalid_request_error", "completion_window must be '24h'");
      }
      List<Item> items = new ArrayList<>();
      for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
        JsonNode item = line.isBlank() ? null : parse(line.getBytes(StandardCharsets.UTF_8));
        if (item != null) {
          items.add(new Item(item.path("custom_id").asText(), item.path("url").asText(), item.path("body").toString()));
        }
      }
      Batch batch = new Batch("batch_" + ids.incrementAndGet(), false, req.path("input_file_id").asText(),
          req.path("endpoint").asText(), items, req.path("metadata"));
      batches.put(batch.id, batch);
      return WireResponse.json(200, Map.of(), openAiBatch(batch));
    }
    String id = rest.startsWith("/") ? rest.substring(1) : rest;
    boolean cancel = id.endsWith("/cancel");
    Batch batch = batches.get(cancel ? id.substring(0, id.length() - "/cancel".length()) : id);
    if (batch == null || batch.anthropic) {
      return openAiError(404, "invalid_request_error", "No batch found with id '" + id + "'");
    }
    if (cancel && "POST".equals(method)) {
      if (batch.finished()) {
        return openAiError(400, "invalid_request_error", "Cannot cancel a batch with status '" + batch.status + "'");
      }
      batch.status = "cancelling";
      batch.polls = 0;
      return WireResponse.json(200, Map.of(), openAiBatch(batch));
    }
    if ("GET".equals(method)) {
      advanceOpenAi(batch, answerer);
      return WireResponse.json(200, Map.of(), openAiBatch(batch));
    }
    return openAiError(404, "invalid_request_error", "Invalid URL (" + method + " " + BATCHES + rest + ")");
  }

  private void advanceOpenAi(Batch batch, ItemAnswerer answerer) {
    if (batch.finished() || ++batch.polls < pollsPerStatus) {
      return;
    }
    batch.polls = 0;
    switch (batch.status) {
      case "validating" -> batch.status = "in_progress";
      case "in_progress" -> batch.status = "finalizing";
      case "finalizing" -> {
        boolean anyExpired = answerAll(batch, answerer, batch.items.size());
        batch.status = anyExpired ? "expired" : "completed";
        writeOpenAiFiles(batch);
      }
      case "cancelling" -> {
        answerAll(batch, answerer, batch.items.size() / 2); // the first half was done before the cancel
        batch.status = "cancelled";
        writeOpenAiFiles(batch);
      }
      default -> { }
    }
  }

  /** Answers the first {@code count} items; true when one of them expired. */
  private boolean answerAll(Batch batch, ItemAnswerer answerer, int count) {
    boolean anyExpired = false;
    for (int i = 0; i < count; i++) {
      Item item = batch.items.get(i);
      // SplittableRandom mixes its seed: neighbouring seeds give independent rolls
      double roll = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (batch.id + "/" + item.customId).hashCode())
          .nextDouble();
      if (roll < providerErrors) {
        item.result = Result.PROVIDER_ERROR;
      } else if (roll < providerErrors + invalidAnswers) {
        item.result = Result.INVALID;
        item.response = answerer.apply(item.url, invalidBody(item.body));
      } else if (roll < providerErrors + invalidAnswers + expired) {
        item.result = Result.EXPIRED;
        anyExpired = true;
      } else {
        item.result = Result.ANSWERED;
        item.response = answerer.apply(item.url, item.body);
      }
    }
    return anyExpired;
  }

  /** The request with a marker the answerer turns into an invalid answer. */
  private static String invalidBody(String body) {
    return INVALID_MARK + body;
  }

  /** Prefixed to an item's body: answer it with {@code {}}, which the task's schema rejects. */
  static final String INVALID_MARK = "\u0000invalid\u0000";

  private void writeOpenAiFiles(Batch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int completed = 0;
    int failed = 0;
    for (Item item : batch.items) {
      if (item.result == null) {
        continue;
      }
      ObjectNode line = WireResponse.MAPPER.createObjectNode().put("id", "batch_req_" + ids.incrementAndGet())
          .put("custom_id", item.customId);
      boolean ok = item.response != null && item.response.status() < 400;
      if (item.result == Result.PROVIDER_ERROR) {
        ObjectNode response = line.putObject("response").put("status_code", 500).put("request_id", "req_" + ids.get());
        response.set("body", errorBody("server_error", "The server had an error while processing your request."));
        line.putNull("error");
      } else if (item.result == Result.EXPIRED) {
        line.putNull("response");
        line.putObject("error").put("code", "batch_expired")
            .put("message", "This request could not be executed before the completion window expired.");
      } else {
        ObjectNode response = line.putObject("response").put("status_code", item.response.status())
            .put("request_id", "req_" + ids.get());
        response.set("body", parse(item.response.body()));
        line.putNull("error");
      }
      ByteArrayOutputStream to = ok ? out : errors;
      to.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      to.write('\n');
      if (ok) {
        completed++;
      } else {
        failed++;
      }
    }
    batch.completed = completed;
    batch.failed = failed;
    if (out.size() > 0) {
      batch.outputFileId = "file-" + ids.incrementAndGet();
      files.put(batch.outputFileId, out.toByteArray());
    }
    if (errors.size() > 0) {
      batch.errorFileId = "file-" + ids.incrementAndGet();
      files.put(batch.errorFileId, errors.toByteArray());
    }
  }

  private ObjectNode openAiBatch(Batch batch) {
    ObjectNode out = WireResponse.MAPPER.createObjectNode().put("id", batch.id).put("object", "batch")
        .put("endpoint", batch.endpoint).put("input_file_id", batch.inputFileId).put("completion_window", "24h")
        .put("status", batch.status).put("output_file_id", batch.outputFileId).put("error_file_id", batch.errorFileId)
        .put("created_at", batch.createdAt).put("expires_at", batch.createdAt + 86_400);
    out.putObject("request_counts").put("total", batch.items.size()).put("completed", batch.completed)
        .put("failed", batch.failed);
    if (batch.metadata != null && batch.metadata.isObject()) {
      out.set("metadata", batch.metadata);
    }
    return out;
  }

  private static WireResponse openAiError(int status, String type, String message) {
    ObjectNode body = errorBody(type, message);
    return WireResponse.json(status, Map.of(), body);
  }

  private static ObjectNode errorBody(String type, String message) {
    ObjectNode body = WireResponse.MAPPER.createObjectNode();
    body.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    return body;
  }

  // ---- Anthropic ----------------------------------------------------------------------------

  private WireResponse anthropic(String method, String rest, byte[] body, ItemAnswerer answerer, String baseUrl) {
    if ("POST".equals(method) && rest.isEmpty()) {
      JsonNode req = parse(body);
      if (req == null || !req.path("requests").isArray() || req.path("requests").isEmpty()) {
        return anthropicError(400, "invalid_request_error", "requests: expected a non-empty array");
      }
      List<Item> items = new ArrayList<>();
      for (JsonNode r : req.path("requests")) {
        String customId = r.path("custom_id").asText("");
        if (customId.isEmpty() || customId.length() > 64) {
          return anthropicError(400, "invalid_request_error", "requests.custom_id: String should have 1 to 64 characters");
        }
        items.add(new Item(customId, AnthropicWire.PATH, r.path("params").toString()));
      }
      Batch batch = new Batch("msgbatch_" + ids.incrementAndGet(), true, null, null, items, null);
      batch.status = "in_progress";
      batches.put(batch.id, batch);
      return WireResponse.json(200, Map.of(), anthropicBatch(batch, baseUrl));
    }
    String id = rest.startsWith("/") ? rest.substring(1) : rest;
    String op = id.contains("/") ? id.substring(id.indexOf('/') + 1) : "";
    Batch batch = batches.get(id.contains("/") ? id.substring(0, id.indexOf('/')) : id);
    if (batch == null || !batch.anthropic) {
      return anthropicError(404, "not_found_error", "No batch found with the given id");
    }
    if ("POST".equals(method) && "cancel".equals(op)) {
      if (!batch.finished()) {
        batch.status = "canceling";
        batch.polls = 0;
      }
      return WireResponse.json(200, Map.of(), anthropicBatch(batch, baseUrl));
    }
    if ("GET".equals(method) && "results".equals(op)) {
      return batch.finished() ? new WireResponse(200, Map.of("content-type", "application/binary"), anthropicResults(batch))
          : anthropicError(400, "invalid_request_error", "the batch is still processing; results are ready when it has ended");
    }
    if ("GET".equals(method) && op.isEmpty()) {
      if (!batch.finished() && ++batch.polls >= pollsPerStatus * 2) {
        answerAll(batch, answerer, "canceling".equals(batch.status) ? batch.items.size() / 2 : batch.items.size());
        batch.cancelled = "canceling".equals(batch.status);
        batch.status = "ended";
      }
      return WireResponse.json(200, Map.of(), anthropicBatch(batch, baseUrl));
    }
    return anthropicError(404, "not_found_error", "Not found: " + method + " " + MESSAGE_BATCHES + rest);
  }

  private ObjectNode anthropicBatch(Batch batch, String baseUrl) {
    ObjectNode out = WireResponse.MAPPER.createObjectNode().put("id", batch.id).put("type", "message_batch")
        .put("processing_status", batch.status)
        .put("created_at", Instant.ofEpochSecond(batch.createdAt).toString())
        .put("expires_at", Instant.ofEpochSecond(batch.createdAt + 86_400).toString());
    int[] counts = new int[5]; // processing, succeeded, errored, canceled, expired
    for (Item item : batch.items) {
      counts[!batch.finished() ? 0 : anthropicType(batch, item).ordinal() + 1]++;
    }
    out.putObject("request_counts").put("processing", counts[0]).put("succeeded", counts[1])
        .put("errored", counts[2]).put("canceled", counts[3]).put("expired", counts[4]);
    if (batch.finished()) {
      out.put("ended_at", Instant.now().toString());
      out.put("results_url", baseUrl + MESSAGE_BATCHES + "/" + batch.id + "/results");
    } else {
      out.putNull("ended_at");
      out.putNull("results_url");
    }
    return out;
  }

  private enum AnthropicType { SUCCEEDED, ERRORED, CANCELED, EXPIRED }

  private static AnthropicType anthropicType(Batch batch, Item item) {
    if (item.result == null) {
      return AnthropicType.CANCELED;
    }
    return switch (item.result) {
      case PROVIDER_ERROR -> AnthropicType.ERRORED;
      case EXPIRED -> AnthropicType.EXPIRED;
      default -> item.response.status() < 400 ? AnthropicType.SUCCEEDED : AnthropicType.ERRORED;
    };
  }

  private byte[] anthropicResults(Batch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Item item : batch.items) {
      ObjectNode line = WireResponse.MAPPER.createObjectNode().put("custom_id", item.customId);
      ObjectNode result = line.putObject("result");
      AnthropicType type = anthropicType(batch, item);
      result.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
      if (type == AnthropicType.SUCCEEDED) {
        result.set("message", parse(item.response.body()));
      } else if (type == AnthropicType.ERRORED) {
        JsonNode error = item.response == null ? null : parse(item.response.body());
        ObjectNode e = result.putObject("error").put("type", "error");
        if (error != null && error.has("error")) {
          e.set("error", error.path("error"));
        } else {
          e.putObject("error").put("type", "api_error").put("message", "Internal server error");
        }
        e.put("request_id", "req_" + ids.incrementAndGet());
      }
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static WireResponse anthropicError(int status, String type, String message) {
    ObjectNode body = WireResponse.MAPPER.createObjectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return WireResponse.json(status, Map.of(), body);
  }

  // ---- shared -------------------------------------------------------------------------------

  private enum Result { ANSWERED, INVALID, PROVIDER_ERROR, EXPIRED }

  private static final class Item {
    final String customId;
    final String url;
    final String body;
    Result result;
    WireResponse response;

    Item(String customId, String url, String body) {
      this.customId = customId;
      this.url = url;
      this.body = body;
    }
  }

  private static final class Batch {
    final String id;
    final boolean anthropic;
    final String inputFileId;
    final String endpoint;
    final List<Item> items;
    final JsonNode metadata;
    final long createdAt = now();
    String status = "validating";
    int polls;
    int completed;
    int failed;
    boolean cancelled;
    String outputFileId;
    String errorFileId;

    Batch(String id, boolean anthropic, String inputFileId, String endpoint, List<Item> items, JsonNode metadata) {
      this.id = id;
      this.anthropic = anthropic;
      this.inputFileId = inputFileId;
      this.endpoint = endpoint;
      this.items = items;
      this.metadata = metadata;
    }

    boolean finished() {
      return switch (status) {
        case "completed", "expired", "cancelled", "failed", "ended" -> true;
        default -> false;
      };
    }
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body == null || body.length == 0 ? null : WireResponse.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The parts of a {@code multipart/form-data} body by name, or {@code null} when it is not one. */
  static Map<String, byte[]> multipart(String contentType, byte[] body) {
    if (contentType == null || !contentType.startsWith("multipart/form-data") || !contentType.contains("boundary=")) {
      return null;
    }
    String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "").strip();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, byte[]> parts = new HashMap<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      start += 2; // CRLF after the delimiter
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        return null;
      }
      byte[] crlf2 = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
      int headersEnd = indexOf(body, crlf2, start);
      if (headersEnd < 0 || headersEnd > next) {
        return null;
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.ISO_8859_1);
      int nameAt = headers.indexOf("name=\"");
      if (nameAt >= 0) {
        String name = headers.substring(nameAt + 6, headers.indexOf('"', nameAt + 6));
        int contentStart = headersEnd + 4;
        int contentEnd = next - 2; // the CRLF before the next delimiter
        byte[] content = new byte[Math.max(0, contentEnd - contentStart)];
        System.arraycopy(body, contentStart, content, 0, content.length);
        parts.put(name, content);
      }
      at = next;
    }
    return parts;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The item body without {@link #INVALID_MARK}, and whether it had it. */
  static boolean markedInvalid(String body) {
    return body.startsWith(INVALID_MARK);
  }

  static String unmarked(String body) {
    return markedInvalid(body) ? body.substring(INVALID_MARK.length()) : body;
  }
}
