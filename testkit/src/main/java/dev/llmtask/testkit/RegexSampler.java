package dev.llmtask.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Best-effort generator of strings matching a JSON Schema {@code pattern}.
 *
 * <p>Understands the common subset: literals and escapes, {@code .}, {@code \d \w \s}, character
 * classes (incl. ranges and negation), groups {@code (...)} / {@code (?:...)}, alternation
 * {@code |}, the quantifiers {@code ? * + {n} {n,} {n,m}} and the anchors {@code ^ $}. Anything
 * else (look-arounds, back-references, Unicode classes …) makes {@link #sample} return
 * {@code null}, as does a result that does not match when checked with {@link Pattern}; the caller
 * then falls back to a plain string.
 */
final class RegexSampler {

  private static final int UNBOUNDED_EXTRA = 3;
  private static final String PRINTABLE =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;/";

  private final String src;
  private int pos;

  private RegexSampler(String src) {
    this.src = src;
  }

  /** A string matching {@code pattern} (JSON Schema semantics: unanchored search), or null. */
  static String sample(String pattern, Random random) {
    try {
      RegexSampler parser = new RegexSampler(pattern);
      Node node = parser.parseAlternation();
      if (parser.pos != pattern.length()) {
        return null;
      }
      StringBuilder out = new StringBuilder();
      node.emit(random, out);
      String result = out.toString();
      return Pattern.compile(pattern).matcher(result).find() ? result : null;
    } catch (RuntimeException unsupported) {
      return null;
    }
  }

  // ---- parser -------------------------------------------------------------------------------

  private Node parseAlternation() {
    List<Node> branches = new ArrayList<>();
    branches.add(parseSequence());
    while (pos < src.length() && src.charAt(pos) == '|') {
      pos++;
      branches.add(parseSequence());
    }
    return branches.size() == 1 ? branches.get(0) : new Alt(branches);
  }

  private Node parseSequence() {
    List<Node> items = new ArrayList<>();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '|' || c == ')') {
        break;
      }
      Node atom = parseAtom();
      items.add(parseQuantifier(atom));
    }
    return new Seq(items);
  }

  private Node parseAtom() {
    char c = src.charAt(pos++);
    switch (c) {
      case '^':
      case '$':
        return new Seq(List.of());
      case '.':
        return CharSet.of("abcdefghijklmnopqrstuvwxyz");
      case '(':
        if (src.startsWith("?:", pos)) {
          pos += 2;
        } else if (pos < src.length() && src.charAt(pos) == '?') {
          throw new IllegalArgumentException("look-around not supported");
        }
        Node inner = parseAlternation();
        expect(')');
        return inner;
      case '[':
        return parseClass();
      case '\\':
        return parseEscape(false);
      case '*':
      case '+':
      case '?':
      case '{':
        throw new IllegalArgumentException("dangling quantifier");
      default:
        return new Literal(c);
    }
  }

  private Node parseEscape(boolean inClass) {
    char e = src.charAt(pos++);
    switch (e) {
      case 'd':
        return CharSet.of("0123456789");
      case 'w':
        return CharSet.of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
      case 's':
        return new Literal(' ');
      case 'n':
        return new Literal('\n');
      case 't':
        return new Literal('\t');
      default:
        if (Character.isLetterOrDigit(e)) {
          // \b, \p{..}, \1, \D, \S, \W and unicode escapes are not supported
          throw new IllegalArgumentException("unsupported escape \\" + e);
        }
        return new Literal(e);
    }
  }

  private Node parseClass() {
    boolean negated = false;
    if (pos < src.length() && src.charAt(pos) == '^') {
      negated = true;
      pos++;
    }
    StringBuilder members = new StringBuilder();
    boolean first = true;
    while (true) {
      char c = src.charAt(pos++);
      if (c == ']' && !first) {
        break;
      }
      first = false;
      char from;
      if (c == '\\') {
        Node escaped = parseEscape(true);
        if (escaped instanceof CharSet) {
          members.append(((CharSet) escaped).chars);
          continue;
        }
        from = ((Literal) escaped).c;
      } else {
        from = c;
      }
      if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
        pos++;
        char to = src.charAt(pos++);
        if (to == '\\') {
          to = ((Literal) parseEscape(true)).c;
        }
        if (to < from || to - from > 512) {
          throw new IllegalArgumentException("bad range");
        }
        for (char x = from; x <= to; x++) {
          members.append(x);
        }
      } else {
        members.append(from);
      }
    }
    if (!negated) {
      return CharSet.of(members.toString());
    }
    StringBuilder allowed = new StringBuilder();
    for (char p : PRINTABLE.toCharArray()) {
      if (members.indexOf(String.valueOf(p)) < 0) {
        allowed.append(p);
      }
    }
    return CharSet.of(allowed.toString());
  }

  private Node parseQuantifier(Node atom) {
    if (pos >= src.length()) {
      return atom;
    }
    char c = src.charAt(pos);
    int min;
    int max;
    if (c == '?') {
      min = 0;
      max = 1;
      pos++;
    } else if (c == '*') {
      min = 0;
      max = UNBOUNDED_EXTRA;
      pos++;
    } else if (c == '+') {
      min = 1;
      max = 1 + UNBOUNDED_EXTRA;
      pos++;
    } else if (c == '{') {
      int close = src.indexOf('}', pos);
      String[] parts = src.substring(pos + 1, close).split(",", -1);
      min = Integer.parseInt(parts[0].trim());
      if (parts.length == 1) {
        max = min;
      } else if (parts[1].isBlank()) {
        max = min + UNBOUNDED_EXTRA;
      } else {
        max = Integer.parseInt(parts[1].trim());
      }
      pos = close + 1;
    } else {
      return atom;
    }
    if (pos < src.length() && (src.charAt(pos) == '?' || src.charAt(pos) == '+')) {
      pos++; // lazy / possessive: same strings
    }
    if (min > 1000 || max > 1000 || max < min) {
      throw new IllegalArgumentException("quantifier out of range");
    }
    return new Repeat(atom, min, max);
  }

  private void expect(char c) {
    if (pos >= src.length() || src.charAt(pos) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    pos++;
  }

  // ---- AST ----------------------------------------------------------------------------------

  private interface Node {
    void emit(Random random, StringBuilder out);
  }

  private static final class Literal implements Node {
    final char c;

    Literal(char c) {
      this.c = c;
    }

    @Override
    public void emit(Random random, StringBuilder out) {
      out.append(c);
    }
  }

  private static final class CharSet implements Node {
    final String chars;

    private CharSet(String chars) {
      this.chars = chars;
    }

    static CharSet of(String chars) {
      if (chars.isEmpty()) {
        throw new IllegalArgumentException("empty class");
      }
      return new CharSet(chars);
    }

    @Override
    public void emit(Random random, StringBuilder out) {
      out.append(chars.charAt(random.nextInt(chars.length())));
    }
  }

  private static final class Seq implements Node {
    final List<Node> items;

    Seq(List<Node> items) {
      this.items = items;
    }

    @Override
    public void emit(Random random, StringBuilder out) {
      for (Node item : items) {
        item.emit(random, out);
      }
    }
  }

  private static final class Alt implements Node {
    final List<Node> branches;

    Alt(List<Node> branches) {
      this.branches = branches;
    }

    @Override
    public void emit(Random random, StringBuilder out) {
      branches.get(random.nextInt(branches.size())).emit(random, out);
    }
  }

  private static final class Repeat implements Node {
    final Node node;
    final int min;
    final int max;

    Repeat(Node node, int min, int max) {
      this.node = node;
      this.min = min;
      this.max = max;
    }

    @Override
    public void emit(Random random, StringBuilder out) {
      int n = min + random.nextInt(max - min + 1);
      for (int i = 0; i < n; i++) {
        node.emit(random, out);
      }
    }
  }
}
