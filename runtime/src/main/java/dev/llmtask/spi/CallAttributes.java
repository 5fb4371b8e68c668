package dev.llmtask.spi;

import java.util.Map;

/**
 * String attributes of one call, set by links (for example {@code cache=hit}) and copied into the
 * call's {@link dev.llmtask.CallRecord#attributes()}. They reach telemetry: never put a prompt, an
 * answer or a secret here. Thread-safe.
 */
public interface CallAttributes {

  /** Sets {@code name} to {@code value}; both must be non-blank short text. */
  void put(String name, String value);

  /** The value of {@code name}, or {@code null}. */
  String get(String name);

  /** A snapshot of every attribute, in the order first set. */
  Map<String, String> asMap();
}
