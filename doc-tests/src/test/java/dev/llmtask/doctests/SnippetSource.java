package dev.llmtask.doctests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a snippet into compilation units: its {@code import} lines head every unit; each top-level
 * type declaration becomes a file of its own; top-level methods and statements go into a class
 * {@code Snippet}, the statements as the body of {@code main} (or, when the snippet has a
 * {@code given} marker, of a method taking those parameters).
 */
final class SnippetSource {
  /** The class that holds a snippet's methods and statements. */
  static final String SNIPPET_CLASS = "Snippet";

  /** A compilation unit and, per line of it, where that line comes from ({@code docs/x.md:12}, or "" when generated). */
  record Unit(String typeName, String source, List<String> origins, boolean own) {}

  private static final Pattern IMPORT = Pattern.compile("import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;");
  private static final Pattern TYPE = Pattern.compile(
      "((public|protected|private|abstract|static|final|sealed|non-sealed|strictfp)\\s+)*"
          + "(class|interface|enum|record|@interface)\\s+(\\w+).*", Pattern.DOTALL);
  private static final Pattern METHOD = Pattern.compile(
      "((public|protected|private|abstract|static|final|default|synchronized)\\s+)*(<[^>]*>\\s*)?"
          + "[\\w.<>\\[\\]?, ]+?\\s+\\w+\\s*\\([^=]*\\)\\s*(throws\\s+[\\w., ]+)?\\s*\\{.*\\}", Pattern.DOTALL);

  private SnippetSource() {}

  /** The units of {@code snippet} in package {@code pkg}, after the type declarations of every snippet it uses. */
  static List<Unit> units(DocSnippet snippet, String pkg, List<Used> used) {
    List<Unit> units = new ArrayList<>();
    for (Used u : used) {
      Parsed p = parse(u.snippet());
      for (Chunk type : p.types) {
        if (u.types().isEmpty() || u.types().contains(type.name)) {
          units.add(unit(pkg, p, type, false));
        }
      }
    }
    Parsed p = parse(snippet);
    for (Chunk type : p.types) {
      units.add(unit(pkg, p, type, true));
    }
    if (!p.methods.isEmpty() || !p.statements.isEmpty()) {
      units.add(snippetClass(pkg, p, snippet.marker("given")));
    }
    return units;
  }

  private static Unit unit(String pkg, Parsed p, Chunk type, boolean own) {
    Writer w = new Writer();
    w.generated("package " + pkg + ";");
    p.imports.forEach(w::line);
    type.lines.forEach(w::line);
    return new Unit(type.name, w.text(), w.origins, own);
  }

  private static Unit snippetClass(String pkg, Parsed p, String given) {
    Writer w = new Writer();
    w.generated("package " + pkg + ";");
    p.imports.forEach(w::line);
    w.generated("public class " + SNIPPET_CLASS + " {");
    p.methods.forEach(m -> m.lines.forEach(w::line));
    if (!p.statements.isEmpty()) {
      w.generated(given == null ? "public static void main(String[] args) throws Exception {"
          : "static void given(" + given + ") throws Exception {");
      p.statements.forEach(w::line);
      w.generated("}");
    }
    w.generated("}");
    return new Unit(SNIPPET_CLASS, w.text(), w.origins, true);
  }

  /** A snippet whose types another compiles with: all of them, or only those named. */
  record Used(DocSnippet snippet, List<String> types) {}

  /** A line of a doc and where it is. */
  private record Line(String text, String origin) {}

  private record Chunk(String name, List<Line> lines) {}

  private record Parsed(List<Line> imports, List<Chunk> types, List<Chunk> methods, List<Line> statements) {}

  private static Parsed parse(DocSnippet s) {
    String[] raw = s.code().split("\n", -1);
    List<Line> imports = new ArrayList<>();
    List<Chunk> types = new ArrayList<>();
    List<Chunk> methods = new ArrayList<>();
    List<Line> statements = new ArrayList<>();
    Scanner scanner = new Scanner();
    List<Line> chunk = new ArrayList<>();
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < raw.length; i++) {
      Line line = new Line(raw[i], s.doc() + ":" + (s.line() + i));
      boolean atTop = scanner.depth == 0 && !scanner.inComment();
      String codePart = scanner.feed(raw[i]);
      if (atTop && chunk.isEmpty() && IMPORT.matcher(raw[i].strip()).matches()) {
        imports.add(line);
        continue;
      }
      if (chunk.isEmpty() && codePart.isBlank()) {
        statements.add(line); // blank and comment lines between declarations
        continue;
      }
      chunk.add(line);
      code.append(codePart).append('\n');
      String trimmed = codePart.strip();
      if (scanner.depth == 0 && !scanner.inComment() && (trimmed.endsWith(";") || trimmed.endsWith("}"))) {
        String header = withoutAnnotations(code.toString().strip());
        Matcher type = TYPE.matcher(header);
        if (type.matches()) {
          types.add(new Chunk(type.group(4), List.copyOf(chunk)));
        } else if (METHOD.matcher(header).matches() && !header.startsWith("return ") && !header.startsWith("new ")) {
          methods.add(new Chunk("", List.copyOf(chunk)));
        } else {
          statements.addAll(chunk);
        }
        chunk.clear();
        code.setLength(0);
      }
    }
    statements.addAll(chunk);
    return new Parsed(imports, types, methods, statements);
  }

  /** {@code code} after its leading annotations ({@code @LlmTask(...)}, {@code @ExtendWith(X.class)}). */
  static String withoutAnnotations(String code) {
    String rest = code;
    while (rest.startsWith("@") && !rest.startsWith("@interface")) {
      int i = 1;
      while (i < rest.length() && (Character.isJavaIdentifierPart(rest.charAt(i)) || rest.charAt(i) == '.')) {
        i++;
      }
      while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
        i++;
      }
      if (i < rest.length() && rest.charAt(i) == '(') {
        int depth = 0;
        int j = i;
        for (; j < rest.length(); j++) {
          char c = rest.charAt(j);
          if (c == '"') {
            j = endOfString(rest, j);
          } else if (c == '(') {
            depth++;
          } else if (c == ')' && --depth == 0) {
            break;
          }
        }
        i = j + 1;
      }
      rest = rest.substring(Math.min(i, rest.length())).strip();
    }
    return rest;
  }

  private static int endOfString(String s, int quote) {
    for (int k = quote + 1; k < s.length(); k++) {
      if (s.charAt(k) == '\\') {
        k++;
      } else if (s.charAt(k) == '"') {
        return k;
      }
    }
    return s.length();
  }

  /** Tracks brace depth across lines, outside strings, text blocks, character literals and comments. */
  private static final class Scanner {
    int depth;
    boolean blockComment;
    boolean textBlock;

    boolean inComment() {
      return blockComment || textBlock;
    }

    /** Feeds one line; returns its code with comments removed (string contents kept). */
    String feed(String line) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (blockComment) {
          if (line.startsWith("*/", i)) {
            blockComment = false;
            i++;
          }
        } else if (textBlock) {
          out.append(c);
          if (line.startsWith("\"\"\"", i)) {
            textBlock = false;
            out.append("\"\"");
            i += 2;
          } else if (c == '\\') {
            i++;
          }
        } else if (line.startsWith("//", i)) {
          break;
        } else if (line.startsWith("/*", i)) {
          blockComment = true;
          i++;
        } else if (line.startsWith("\"\"\"", i)) {
          textBlock = true;
          out.append("\"\"\"");
          i += 2;
        } else if (c == '"' || c == '\'') {
          int end = c == '"' ? endOfString(line, i) : line.indexOf('\'', i + (line.charAt(i + 1) == '\\' ? 3 : 2));
          end = end < 0 ? line.length() - 1 : Math.min(end, line.length() - 1);
          out.append(line, i, end + 1);
          i = end;
        } else {
          if (c == '{') {
            depth++;
          } else if (c == '}') {
            depth--;
          }
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  /** Builds a unit's text and, per line, its origin. */
  private static final class Writer {
    final StringBuilder text = new StringBuilder();
    final List<String> origins = new ArrayList<>();

    void generated(String line) {
      text.append(line).append('\n');
      origins.add("");
    }

    void line(Line line) {
      text.append(line.text()).append('\n');
      origins.add(line.origin());
    }

    String text() {
      return text.toString();
    }
  }
}
