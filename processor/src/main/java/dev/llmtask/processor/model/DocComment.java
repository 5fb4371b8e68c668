package dev.llmtask.processor.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Javadoc comment read for schema descriptions: its main text and its {@code @param} texts, as plain
 * one-line text ({@code {@code x}} becomes {@code x}, HTML tags are dropped, whitespace is collapsed).
 *
 * @param summary the text before the first block tag, or null when there is none
 * @param params the text of each {@code @param name}, by name
 */
public record DocComment(String summary, Map<String, String> params) {
  static final DocComment NONE = new DocComment(null, Map.of());

  private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@(\\w+)");
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@\\w+\\s+([^}]*)}");
  private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
  private static final Pattern PARAM = Pattern.compile("(?s)@param\\s+(\\S+)\\s+(.*)");

  /** Parses the text {@code Elements.getDocComment} returns; null gives {@link #NONE}. */
  public static DocComment parse(String raw) {
    if (raw == null) {
      return NONE;
    }
    Matcher tags = BLOCK_TAG.matcher(raw);
    int firstTag = tags.find() ? tags.start() : raw.length();
    String summary = plain(raw.substring(0, firstTag));
    Map<String, String> params = new LinkedHashMap<>();
    for (String block : raw.substring(firstTag).split("(?m)^\\s*(?=@\\w)")) {
      Matcher param = PARAM.matcher(block);
      if (param.matches()) {
        String text = plain(param.group(2));
        if (text != null) {
          params.put(param.group(1), text);
        }
      }
    }
    return new DocComment(summary, Map.copyOf(params));
  }

  /** One line of plain text, or null when nothing is left. */
  private static String plain(String text) {
    String s = INLINE_TAG.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1).trim()));
    s = HTML_TAG.matcher(s).replaceAll("").replaceAll("\\s+", " ").trim();
    return s.isEmpty() ? null : s;
  }
}
