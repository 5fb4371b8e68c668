package dev.llmtask.processor.model;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration text of {@code @LlmTask(timeout = …)}: {@code <digits>ms|s|m|h}. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");

  private Durations() {}

  /** Milliseconds of {@code text}, or empty when it is malformed, zero or too large. */
  public static OptionalLong parseMillis(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    long amount = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      default -> 3_600_000L;
    };
    if (amount <= 0) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Math.multiplyExact(amount, unit));
    } catch (ArithmeticException e) {
      return OptionalLong.empty();
    }
  }
}
