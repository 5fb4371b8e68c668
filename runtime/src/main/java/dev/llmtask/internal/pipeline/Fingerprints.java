package dev.llmtask.internal.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 fingerprints of inputs: correlate equal inputs without storing them. Never a plain hash. */
final class Fingerprints {
  private final ThreadLocal<Mac> mac;

  Fingerprints(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(spec);
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  /** First 12 hex chars of HMAC-SHA256(key, text). */
  String of(String text) {
    byte[] digest = mac.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 6);
  }
}
