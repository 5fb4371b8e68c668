package dev.llmtask.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A fully rendered HTTP response: status, headers (lower-case names) and body bytes. */
record WireResponse(int status, Map<String, String> headers, byte[] body) {

  static final ObjectMapper MAPPER = new ObjectMapper();

  static WireResponse json(int status, Map<String, String> headers, JsonNode body) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("content-type", "application/json");
    all.putAll(headers);
    try {
      return new WireResponse(
          status, Collections.unmodifiableMap(all), MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static WireResponse text(int status, String contentType, String body) {
    return new WireResponse(
        status, Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with {@code extra} headers added; they win over headers of the same name. */
  WireResponse withHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(extra);
    return new WireResponse(status, Collections.unmodifiableMap(all), body);
  }
}
