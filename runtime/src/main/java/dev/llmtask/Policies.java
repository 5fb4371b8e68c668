package dev.llmtask;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the configuration builders; messages name the setting, never a value that could be secret. */
final class Policies {
  private Policies() {}

  static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  static int notNegative(int n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be zero or more, was " + n);
    }
    return n;
  }

  static String notBlank(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return s;
  }
}
