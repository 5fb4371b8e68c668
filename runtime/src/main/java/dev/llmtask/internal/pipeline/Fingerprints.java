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

  /**
   * The full HMAC-SHA256 of {@code parts}, in hex: each part is length-prefixed (a {@code null} part
   * differs from an empty one), so no two different part lists give the same input.
   */
  String ofParts(String... parts) {
    Mac m = mac.get();
    byte[] len = new byte[4];
    for (String part : parts) {
      byte[] bytes = part == null ? null : part.getBytes(StandardCharsets.UTF_8);
      int n = bytes == null ? -1 : bytes.length;
      len[0] = (byte) (n >>> 24);
      len[1] = (byte) (n >>> 16);
      len[2] = (byte) (n >>> 8);
      len[3] = (byte) n;
      m.update(len);
      if (bytes != null) {
        m.update(bytes);
      }
    }
    return HexFormat.of().formatHex(m.doFinal());
  }

  /** First 12 hex chars of HMAC-SHA256(key, text). */
  String of(String text) {
    byte[] digest = mac.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 6);
  }
}
