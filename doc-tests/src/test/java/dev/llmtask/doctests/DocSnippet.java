package dev.llmtask.doctests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ```java} block of a doc, with the markers written in HTML comments on the lines just
 * above it (see {@link DocSnippetsTest} for the convention).
 *
 * @param doc the doc, relative to the repository root ({@code docs/testing.md})
 * @param line the 1-based line of the doc on which the code starts (the line after the fence)
 * @param code the block's body
 * @param markers marker name to value ({@code fragment}, {@code given}, {@code name}, {@code uses}, {@code run})
 * @param following the body of the {@code ```text} block right after this one, or {@code null}
 */
record DocSnippet(String doc, int line, String code, Map<String, String> markers, String following) {
  private static final Pattern MARKER = Pattern.compile("<!--\\s*(fragment|given|name|uses|run)\\s*:\\s*(.*?)\\s*-->");

  /** {@code docs/testing.md:27}: where the code starts, as a compiler would name it. */
  String where() {
    return doc + ":" + line;
  }

  String marker(String name) {
    return markers.get(name);
  }

  /** Every {@code ```java} block of {@code file}, named relative to {@code root}. */
  static List<DocSnippet> parse(Path root, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String doc = root.relativize(file).toString().replace('\\', '/');
    List<DocSnippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().startsWith("```java")) {
        continue;
      }
      Map<String, String> markers = markersAbove(lines, i);
      if (!lines.get(i).strip().equals("```java")) {
        throw new IllegalStateException(doc + ":" + (i + 1) + ": write a plain ```java fence and put markers in an"
            + " HTML comment above it, e.g. <!-- fragment: why it cannot compile -->");
      }
      int start = i + 1;
      int end = closingFence(lines, start, doc);
      String code = String.join("\n", lines.subList(start, end)) + "\n";
      String following = null;
      int next = end + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      if (next < lines.size() && lines.get(next).strip().equals("```text")) {
        int textEnd = closingFence(lines, next + 1, doc);
        following = lines.subList(next + 1, textEnd).isEmpty() ? ""
            : String.join("\n", lines.subList(next + 1, textEnd)) + "\n";
      }
      snippets.add(new DocSnippet(doc, start + 1, code, markers, following));
      i = end;
    }
    return snippets;
  }

  /** The markers on the comment lines directly above line {@code fence} (blank lines between are allowed). */
  private static Map<String, String> markersAbove(List<String> lines, int fence) {
    Map<String, String> markers = new LinkedHashMap<>();
    for (int j = fence - 1; j >= 0; j--) {
      String above = lines.get(j).strip();
      if (above.isEmpty()) {
        continue;
      }
      Matcher m = MARKER.matcher(above);
      if (!m.matches()) {
        break;
      }
      markers.putIfAbsent(m.group(1), m.group(2));
    }
    return markers;
  }

  private static int closingFence(List<String> lines, int from, String doc) {
    for (int j = from; j < lines.size(); j++) {
      if (lines.get(j).strip().equals("```")) {
        return j;
      }
    }
    throw new IllegalStateException(doc + ":" + from + ": code block never closed");
  }
}
