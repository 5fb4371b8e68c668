package dev.llmtask.internal.pipeline;

/**
 * Turns the streamed JSON of a text answer, {@code {"value":"Dear customer,\n…"}}, into the text
 * itself as it arrives, so a streamed draft reads as prose. Escapes split across pieces are held
 * back until complete. Anything unexpected stops the extraction; the final answer is still
 * decoded and validated whole.
 */
final class WrappedTextDeltas {
  private enum State { BEFORE_VALUE, IN_VALUE, ESCAPE, UNICODE, AFTER_VALUE }

  private final String openingKey;
  private final StringBuilder prefix = new StringBuilder();
  private State state = State.BEFORE_VALUE;
  private final StringBuilder unicode = new StringBuilder(4);
  private char pendingHighSurrogate;

  WrappedTextDeltas(String property) {
    this.openingKey = "\"" + property + "\"";
  }

  /** The text that {@code jsonPiece} adds; empty when it adds none (yet). */
  String feed(String jsonPiece) {
    StringBuilder out = new StringBuilder(jsonPiece.length());
    for (int i = 0; i < jsonPiece.length(); i++) {
      char c = jsonPiece.charAt(i);
      switch (state) {
        case BEFORE_VALUE -> {
          prefix.append(c);
          if (c == '"' && isOpening(prefix)) {
            state = State.IN_VALUE;
          } else if (prefix.length() > openingKey.length() + 64) {
            state = State.AFTER_VALUE; // not the shape we expected; stop extracting
          }
        }
        case IN_VALUE -> {
          if (c == '\\') {
            state = State.ESCAPE;
          } else if (c == '"') {
            state = State.AFTER_VALUE;
          } else {
            out.append(c);
          }
        }
        case ESCAPE -> {
          state = State.IN_VALUE;
          switch (c) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
              state = State.UNICODE;
              unicode.setLength(0);
            }
            default -> out.append(c); // \" \\ \/
          }
        }
        case UNICODE -> {
          unicode.append(c);
          if (unicode.length() == 4) {
            state = State.IN_VALUE;
            char ch = (char) Integer.parseInt(unicode.toString(), 16);
            if (Character.isHighSurrogate(ch)) {
              pendingHighSurrogate = ch;
            } else {
              if (pendingHighSurrogate != 0) {
                out.append(pendingHighSurrogate);
                pendingHighSurrogate = 0;
              }
              out.append(ch);
            }
          }
        }
        case AFTER_VALUE -> { }
      }
    }
    return out.toString();
  }

  /** The prefix ends with {@code "value"}, optional whitespace, a colon, optional whitespace and a quote. */
  private boolean isOpening(CharSequence p) {
    String s = p.toString().replaceAll("\\s", "");
    return s.endsWith(openingKey + ":\"");
  }
}
