package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.generated;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Cached} reaches the task spec; a malformed ttl is an error; a variable system-prompt prefix warns. */
class CacheDeclarationTest {

  private static Compilation compile(String body) {
    return Sources.compile(source(body));
  }

  private static JavaFileObject source(String body) {
    return Sources.source("com.example.Lookup", """
        package com.example;

        import dev.llmtask.*;

        """ + body);
  }

  @Test
  void theMethodsTtlWinsOverTheInterfacesAndAnUncachedTaskHasNone() {
    Compilation c = compile("""
        @Cached(ttl = "24h")
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini")
        public interface Lookup {
          record Code(String code) {}

          @UserPrompt("The ISO code of {{country}}")
          Code daily(String country);

          @Cached(ttl = "90s")
          @UserPrompt("The ISO code of {{country}}")
          Code short_(String country);
        }
        """);
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.Lookup_LlmTask");
    assertThat(code).contains(".cacheTtl(Duration.ofHours(24))").contains(".cacheTtl(Duration.ofSeconds(90))");

    Compilation plain = compile("""
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini")
        public interface Lookup {
          record Code(String code) {}

          @UserPrompt("The ISO code of {{country}}")
          Code code(String country);
        }
        """);
    assertThat(generated(plain, "com.example.Lookup_LlmTask")).doesNotContain("cacheTtl");
  }

  @Test
  void aMalformedTtlIsAnErrorOnTheAnnotation() {
    String body = """
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini")
        public interface Lookup {
          record Code(String code) {}

          @Cached(ttl = "one day") // here
          @UserPrompt("The ISO code of {{country}}")
          Code code(String country);
        }
        """;
    JavaFileObject file = source(body);
    Compilation c = Sources.compile(file);
    assertThat(c).hadErrorContaining("malformed @Cached ttl \"one day\"; write a positive whole number followed by ms,"
        + " s, m or h").inFile(file).onLine(9);
  }

  @Test
  void aPlaceholderBeforeStableSystemTextWarnsAndStableTextFirstDoesNot() {
    Compilation bad = compile("""
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini")
        public interface Lookup {
          record Code(String code) {}

          @SystemPrompt("Customer {{customer}}. Answer only from the reference table, in upper case, two letters.")
          @UserPrompt("The ISO code of {{country}}")
          Code code(String customer, String country);
        }
        """);
    assertThat(bad).succeeded();
    assertThat(bad).hadWarningContaining("the system prompt of 'code' puts {{customer}} before");
    assertThat(bad).hadWarningContaining("move variable content after the stable part");

    Compilation good = compile("""
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini")
        public interface Lookup {
          record Code(String code) {}

          @SystemPrompt("Answer only from the reference table, in upper case, two letters. Customer {{customer}}.")
          @UserPrompt("The ISO code of {{country}}")
          Code code(String customer, String country);
        }
        """);
    assertThat(good).succeededWithoutWarnings();
  }

  @Test
  void aCachedTaskWithATemperatureAboveZeroWarnsUnlessSuppressed() {
    String task = """
        @LlmTask(promptVersion = "lookup@1", model = "gpt-4o-mini", temperature = %s)
        public interface Lookup {
          record Code(String code) {}

          %s
          @Cached(ttl = "1h")
          @UserPrompt("The ISO code of {{country}}")
          Code code(String country);
        }
        """;
    Compilation warm = compile(task.formatted("0.7", ""));
    assertThat(warm).succeeded();
    assertThat(warm).hadWarningContaining("task method 'code' is @Cached with temperature 0.7");
    assertThat(warm).hadWarningContaining("@SuppressWarnings(\"llmtask-cached-temperature\")");
    assertThat(compile(task.formatted("0.7", "@SuppressWarnings(\"llmtask-cached-temperature\")")))
        .succeededWithoutWarnings();
    assertThat(compile(task.formatted("0", ""))).succeededWithoutWarnings();
  }
}
