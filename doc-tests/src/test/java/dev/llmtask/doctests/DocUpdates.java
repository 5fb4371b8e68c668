package dev.llmtask.doctests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With {@code -Dllmtask.updateDocs=true}: the compiler messages to write after snippets, applied
 * once all snippets are checked (from the last line up, so earlier line numbers stay right).
 */
final class DocUpdates {
  private static final Map<Path, Map<Integer, String>> PENDING = new ConcurrentHashMap<>();

  private DocUpdates() {}

  static void record(Path doc, DocSnippet snippet, String messages) {
    PENDING.computeIfAbsent(doc, d -> new TreeMap<>(Comparator.reverseOrder())).put(snippet.line(), messages);
  }

  /** Rewrites every doc with pending messages: replaces the {@code ```text} block after each snippet, or adds one. */
  static void apply() throws IOException {
    for (Map.Entry<Path, Map<Integer, String>> doc : PENDING.entrySet()) {
      List<String> lines = new ArrayList<>(Files.readAllLines(doc.getKey(), StandardCharsets.UTF_8));
      for (Map.Entry<Integer, String> update : doc.getValue().entrySet()) {
        int close = update.getKey() - 1;
        while (!lines.get(close).strip().equals("```")) {
          close++;
        }
        int next = close + 1;
        while (next < lines.size() && lines.get(next).isBlank()) {
          next++;
        }
        if (next < lines.size() && lines.get(next).strip().equals("```text")) {
          int end = next + 1;
          while (!lines.get(end).strip().equals("```")) {
            end++;
          }
          lines.subList(close + 1, end + 1).clear();
        }
        if (!update.getValue().isEmpty()) {
          List<String> block = new ArrayList<>();
          block.add("```text");
          block.addAll(List.of(update.getValue().split("\n")));
          block.add("```");
          lines.addAll(close + 1, block);
        }
      }
      Files.writeString(doc.getKey(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
    PENDING.clear();
  }
}
