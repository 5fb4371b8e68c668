package dev.llmtask.internal.pipeline;

import dev.llmtask.spi.CallAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The attributes of one call; allocated only when a link sets the first one. */
final class CallAttributesMap implements CallAttributes {
  private static final int MAX_LENGTH = 200;
  private final Map<String, String> values = new LinkedHashMap<>(4);

  @Override
  public synchronized void put(String name, String value) {
    values.put(check(name, "name"), check(value, "value"));
  }

  @Override
  public synchronized String get(String name) {
    return values.get(name);
  }

  @Override
  public synchronized Map<String, String> asMap() {
    return Map.copyOf(values).isEmpty() ? Map.of() : new LinkedHashMap<>(values);
  }

  private static String check(String s, String what) {
    Objects.requireNonNull(s, what);
    if (s.isBlank() || s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a call attribute " + what + " must be non-blank and at most " + MAX_LENGTH
          + " chars, was " + s.length() + " chars");
    }
    return s;
  }
}
