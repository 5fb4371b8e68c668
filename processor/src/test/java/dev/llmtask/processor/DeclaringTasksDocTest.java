package dev.llmtask.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/declaring-tasks.md} true: every {@code ```java} block in it is compiled with the
 * processor; when a {@code ```text} block follows, it must list exactly the errors and warnings the
 * compilation reports ({@code error: …} / {@code warning: …}, in order), otherwise the example must
 * compile cleanly. Blocks marked {@code ```java snippet} are not compiled.
 *
 * <p>The messages in the doc are generated from the code: after changing a message, run
 * <pre>mvn -pl processor test -Dtest=DeclaringTasksDocTest -Dllmtask.updateDocs=true</pre>
 * and review the diff of the doc.
 */
class DeclaringTasksDocTest {
  private static final Path DOC = Path.of("..", "docs", "declaring-tasks.md");
  private static final boolean UPDATE = Boolean.getBoolean("llmtask.updateDocs");

  /** A compiled example and the diagnostics block after it, if any (group 2 is the block's body). */
  private static final Pattern EXAMPLE = Pattern.compile(
      "```java\\n(.*?)```\\n(?:\\s*```text\\n(.*?)```\\n)?", Pattern.DOTALL);
  private static final Pattern PUBLIC_TYPE = Pattern.compile("public (?:interface|record|enum|class) (\\w+)");

  private static final String HEADER = """
      package com.example;

      import com.fasterxml.jackson.annotation.*;
      import dev.llmtask.*;
      import jakarta.validation.constraints.*;
      import java.util.*;
      import java.util.concurrent.CompletableFuture;

      """;

  @Test
  void everyExampleReportsExactlyTheMessagesTheDocShows() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    Matcher m = EXAMPLE.matcher(doc);
    StringBuilder updated = new StringBuilder();
    int examples = 0;
    int withMessages = 0;
    while (m.find()) {
      examples++;
      String code = m.group(1);
      String expected = m.group(2);
      String actual = diagnostics(code);
      if (UPDATE) {
        m.appendReplacement(updated, Matcher.quoteReplacement("```java\n" + code + "```\n"
            + (actual.isEmpty() ? "" : "```text\n" + actual + "```\n")));
      } else {
        assertThat(actual).as("diagnostics of the example:\n%s", code).isEqualTo(expected == null ? "" : expected);
      }
      withMessages += actual.isEmpty() ? 0 : 1;
    }
    if (UPDATE) {
      m.appendTail(updated);
      Files.writeString(DOC, updated.toString(), StandardCharsets.UTF_8);
    }
    assertThat(examples).isGreaterThan(30);
    assertThat(withMessages).isGreaterThan(25);
  }

  /** {@code error: …} and {@code warning: …} lines of compiling {@code code}, in the order reported. */
  private static String diagnostics(String code) {
    Matcher type = PUBLIC_TYPE.matcher(code);
    String name = type.find() ? type.group(1) : "Example";
    Compilation c = Sources.compile(Sources.source("com.example." + name, HEADER + code));
    StringBuilder out = new StringBuilder();
    List<Diagnostic<?>> reported = new ArrayList<>(c.diagnostics());
    for (Diagnostic<?> d : reported) {
      if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING) {
        out.append(d.getKind().name().toLowerCase(Locale.ROOT)).append(": ")
            .append(d.getMessage(Locale.ROOT)).append('\n');
      }
    }
    return out.toString();
  }
}
