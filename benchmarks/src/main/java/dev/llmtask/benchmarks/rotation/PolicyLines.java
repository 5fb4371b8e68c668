package dev.llmtask.benchmarks.rotation;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads policy text written one line per rule, {@code P-7: text}, into id → text. */
final class PolicyLines {
  private PolicyLines() {}

  static Map<String, String> parse(String policy) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : policy.split("\\R")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        lines.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return lines;
  }
}
