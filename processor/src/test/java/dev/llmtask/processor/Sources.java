package dev.llmtask.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import javax.tools.JavaFileObject;

/** Shared test sources and helpers. */
final class Sources {
  private Sources() {}

  static final String DECISION_SRC = """
      package com.example;

      import com.fasterxml.jackson.annotation.JsonProperty;

      public enum Decision {
        @JsonProperty("eligible") ELIGIBLE,
        @JsonProperty("not_eligible") NOT_ELIGIBLE,
        @JsonProperty("not_specified") NOT_SPECIFIED
      }
      """;

  static final String ROTATION_DECISION_SRC = """
      package com.example;

      import com.fasterxml.jackson.annotation.JsonProperty;
      import jakarta.validation.constraints.Max;
      import jakarta.validation.constraints.Min;
      import jakarta.validation.constraints.NotBlank;
      import jakarta.validation.constraints.NotEmpty;
      import jakarta.validation.constraints.NotNull;
      import java.util.List;

      public record RotationDecision(
          @NotNull Decision decision,
          @JsonProperty("rotation_window_days") @Min(0) @Max(365) int rotationWindowDays,
          @JsonProperty("source_line_ids") @NotEmpty List<@NotBlank String> sourceLineIds) {}
      """;

  static final String ROTATION_DESK_SRC = """
      package com.example;

      import dev.llmtask.Check;
      import dev.llmtask.LlmTask;
      import dev.llmtask.SystemPrompt;
      import dev.llmtask.TraceId;
      import dev.llmtask.UserPrompt;
      import java.util.List;

      @LlmTask(promptVersion = "rotation_decision@2", model = "gpt-4o-mini", timeout = "20s", maxRetries = 2)
      public interface RotationDesk {
        @SystemPrompt("Answer only from the policy below.\\n{{policy}}")
        @UserPrompt("{{question}}")
        RotationDecision decideRotation(String question, String policy, @TraceId String traceId);

        @Check
        default List<String> windowMatchesPolicy(RotationDecision d, String policy) {
          return policy.contains(d.rotationWindowDays() + "-day") ? List.of()
              : List.of("rotation_window_days is not stated by the policy");
        }
      }
      """;

  static final String ROTATION_OPENAI_SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"decision\":{\"type\":\"string\",\"enum\":[\"eligible\",\"not_eligible\",\"not_specified\"]},"
      + "\"rotation_window_days\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":365},"
      + "\"source_line_ids\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1}},"
      + "\"required\":[\"decision\",\"rotation_window_days\",\"source_line_ids\"],"
      + "\"additionalProperties\":false}";

  static JavaFileObject decision() {
    return JavaFileObjects.forSourceString("com.example.Decision", DECISION_SRC);
  }

  static JavaFileObject rotationDecision() {
    return JavaFileObjects.forSourceString("com.example.RotationDecision", ROTATION_DECISION_SRC);
  }

  static JavaFileObject rotationDesk() {
    return JavaFileObjects.forSourceString("com.example.RotationDesk", ROTATION_DESK_SRC);
  }

  /** A task interface nested in a class: {@code com.example.Outer.Inner}, generating {@code Outer_Inner_LlmTask}. */
  static JavaFileObject outerInner() {
    return source("com.example.Outer", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        public class Outer {
          @LlmTask(promptVersion = "inner@1")
          public interface Inner {
            @UserPrompt("{{q}}")
            String ask(String q);
          }
        }
        """);
  }

  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  static Compilation compile(JavaFileObject... files) {
    return Compiler.javac().withProcessors(new LlmTaskProcessor()).compile(files);
  }

  /** Compiles with the test class path minus the entries {@code exclude} matches, plus {@code extra}. */
  static Compilation compileWithClasspath(Predicate<String> exclude, List<File> extra, JavaFileObject... files) {
    List<File> classpath = new ArrayList<>();
    for (String entry : testClasspath()) {
      if (!exclude.test(entry)) {
        classpath.add(new File(entry));
      }
    }
    classpath.addAll(extra);
    return Compiler.javac().withProcessors(new LlmTaskProcessor()).withClasspath(classpath).compile(files);
  }

  static List<String> testClasspath() {
    return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  /** The 1-based line of the first line of {@code source} that contains {@code marker}. */
  static int line(String source, String marker) {
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("marker not found: " + marker);
  }

  /** The text of a generated source file. */
  static String generated(Compilation compilation, String qualifiedName) {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName)
        .orElseThrow(() -> new AssertionError("not generated: " + qualifiedName + "; diagnostics: "
            + compilation.diagnostics()));
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The value of the private static String field {@code field} of the compiled generated class; for
   * {@code <TASK>_OPENAI_SCHEMA} or {@code <TASK>_ANTHROPIC_SCHEMA}, that schema of the task spec
   * {@code <TASK>} as the runtime sends it.
   */
  static String staticString(Compilation compilation, String className, String field) {
    java.util.regex.Matcher dialect = java.util.regex.Pattern.compile("(\\w+)_(OPENAI|ANTHROPIC)_SCHEMA").matcher(field);
    try {
      Class<?> generated = new CompiledClasses(compilation).loadClass(className);
      if (dialect.matches()) {
        Field f = generated.getDeclaredField(dialect.group(1));
        f.setAccessible(true);
        dev.llmtask.codegen.OutputSchema schema = ((dev.llmtask.codegen.TaskSpec<?>) f.get(null)).schema();
        return dialect.group(2).equals("OPENAI") ? schema.openAi() : schema.anthropic();
      }
      Field f = generated.getDeclaredField(field);
      f.setAccessible(true);
      return (String) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no field " + field + " in " + className, e);
    }
  }

  /** {@code text} as it appears inside a Java string literal. */
  static String javaLiteral(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** JSON written with single quotes for readability: {@code {'type':'string'}}. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /**
   * A schema of generated code, compact as the runtime sends it: {@code <TASK>_OPENAI_SCHEMA} or
   * {@code <TASK>_ANTHROPIC_SCHEMA} names the dialect's schema of the task spec {@code <TASK>}, wherever the
   * writer put it (one constant per distinct schema text). Any other name is a string constant read as is.
   */
  static String constant(String code, String name) {
    java.util.regex.Matcher dialect = java.util.regex.Pattern.compile("(\\w+)_(OPENAI|ANTHROPIC)_SCHEMA").matcher(name);
    if (dialect.matches()) {
      java.util.regex.Matcher spec = java.util.regex.Pattern.compile(" " + dialect.group(1)
          + " = TaskSpec\\.builder\\(.*?\\.schema\\(new OutputSchema\\(\"[^\"]*\", (\\w+), (\\w+)\\)\\)",
          java.util.regex.Pattern.DOTALL).matcher(code);
      if (!spec.find()) {
        throw new AssertionError("no task spec " + dialect.group(1) + " in:\n" + code);
      }
      String field = dialect.group(2).equals("OPENAI") ? spec.group(1) : spec.group(2);
      String text = literal(code, field);
      return new dev.llmtask.codegen.OutputSchema("x", text, text).openAi();
    }
    return literal(code, name);
  }

  /** The value of the string constant {@code name}: a text block, one literal, or {@code String.join("", …)} pieces. */
  private static String literal(String code, String name) {
    String marker = " " + name + " = ";
    int at = code.indexOf(marker);
    if (at < 0) {
      throw new AssertionError("no constant " + name + " in:\n" + code);
    }
    int from = at + marker.length();
    if (code.startsWith("\"\"\"\n", from)) {
      int end = code.indexOf("\"\"\";", from + 4);
      String block = code.substring(from, end + 3);
      return unescape(block.substring(4, block.length() - 3).stripIndent().replaceAll("(?m)^\\s+", ""));
    }
    StringBuilder out = new StringBuilder();
    boolean inLiteral = false;
    for (int i = from; ; i++) {
      char c = code.charAt(i);
      if (!inLiteral) {
        if (c == ';') {
          return out.toString();
        }
        inLiteral = c == '"';
      } else if (c == '"') {
        inLiteral = false;
      } else if (c == '\\') {
        char n = code.charAt(++i);
        out.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> n;
        });
      } else {
        out.append(c);
      }
    }
  }

  /** Text block escapes: {@code \\}, {@code \"} and {@code \s}. */
  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        out.append(n == 's' ? ' ' : n == 'n' ? '\n' : n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
