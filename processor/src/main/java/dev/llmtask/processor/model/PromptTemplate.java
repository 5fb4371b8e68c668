package dev.llmtask.processor.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prompt text split into literal text and {@code {{name}}} placeholders. */
public record PromptTemplate(List<Segment> segments) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)\\}\\}", Pattern.DOTALL);

  /** A piece of a prompt. */
  public sealed interface Segment {}

  /** Text sent as written. */
  public record Literal(String text) implements Segment {}

  /** A placeholder naming a method parameter. */
  public record Placeholder(String name) implements Segment {}

  public static PromptTemplate parse(String text) {
    List<Segment> segments = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        segments.add(new Literal(text.substring(at, m.start())));
      }
      segments.add(new Placeholder(m.group(1).trim()));
      at = m.end();
    }
    if (at < text.length()) {
      segments.add(new Literal(text.substring(at)));
    }
    return new PromptTemplate(List.copyOf(segments));
  }

  /** Placeholder names in order of first use. */
  public Set<String> placeholders() {
    Set<String> names = new LinkedHashSet<>();
    for (Segment s : segments) {
      if (s instanceof Placeholder p) {
        names.add(p.name());
      }
    }
    return names;
  }
}
