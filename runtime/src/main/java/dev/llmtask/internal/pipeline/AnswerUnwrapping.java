package dev.llmtask.internal.pipeline;

/**
 * The one leniency allowed on an answer's text before it is decoded: a single UTF-8 byte-order
 * mark in front of it, then a single Markdown code fence around it ({@code ```json} or a plain
 * {@code ```} on the first line, {@code ```} on the last), which OpenAI-compatible servers that
 * ignore strict mode send. Nothing else is stripped: prose around a fence, two fences, another
 * language tag or a second mark leave the answer as it is, to be judged invalid.
 */
final class AnswerUnwrapping {
  /** The {@code CallRecord} attribute that says the answer was unwrapped, and how. */
  static final String ATTRIBUTE = dev.llmtask.CallRecord.ANSWER_UNWRAPPED;

  private static final char BOM = '\uFEFF';
  private static final String FENCE = "```";

  private AnswerUnwrapping() {}

  /**
   * The answer's text with what was stripped.
   *
   * @param text what is decoded
   * @param how {@code bom}, {@code fence} or {@code bom+fence}; {@code null} when nothing was stripped
   */
  record Unwrapped(String text, String how) {}

  static Unwrapped of(String answer) {
    String text = answer;
    boolean bom = !text.isEmpty() && text.charAt(0) == BOM;
    if (bom) {
      text = text.substring(1);
    }
    String inner = fenced(text);
    boolean fence = inner != null;
    if (fence) {
      text = inner;
    }
    return new Unwrapped(text, bom && fence ? "bom+fence" : bom ? "bom" : fence ? "fence" : null);
  }

  /** The text inside one surrounding fence, or {@code null} when the text is not exactly one fenced block. */
  private static String fenced(String text) {
    String t = text.strip();
    if (!t.startsWith(FENCE) || !t.endsWith(FENCE) || t.length() < 2 * FENCE.length()) {
      return null;
    }
    int firstLineEnd = t.indexOf('\n');
    if (firstLineEnd < 0) {
      return null;
    }
    String tag = t.substring(FENCE.length(), firstLineEnd).strip();
    if (!tag.isEmpty() && !tag.equalsIgnoreCase("json")) {
      return null;
    }
    String body = t.substring(firstLineEnd + 1, t.length() - FENCE.length());
    if (body.contains(FENCE)) {
      return null;
    }
    // the closing fence must stand on its own line
    int lastNewline = body.lastIndexOf('\n');
    if (lastNewline < 0 || !body.substring(lastNewline + 1).isBlank()) {
      return null;
    }
    return body;
  }
}
