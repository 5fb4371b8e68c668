package dev.llmtask.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (hex) over the canonical JSON of a request: the request is first turned into plain maps,
 * lists and scalars, then written with every object's keys sorted, so that field order, map order
 * and {@code @JsonProperty} renames of equal requests give the same fingerprint.
 */
final class RequestFingerprint {
  private final ObjectMapper plain;
  private final ObjectMapper canonical;

  RequestFingerprint(ObjectMapper mapper) {
    this.plain = mapper;
    this.canonical = mapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  }

  /** @throws IllegalArgumentException when Jackson cannot write the request */
  String of(Object request) {
    byte[] json;
    try {
      json = canonical.writeValueAsBytes(plain.convertValue(request, Object.class));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      // the cause names the type and the property, never the values
      throw new IllegalArgumentException("The request of type " + request.getClass().getName()
          + " cannot be written as JSON, so it cannot be fingerprinted; use a record or a map of plain values", e);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
