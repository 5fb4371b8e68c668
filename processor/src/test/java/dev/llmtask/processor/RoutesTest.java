package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fallback routes and sampling settings in the annotation: checked at compile time, generated, honoured. */
class RoutesTest {
  private static final String ROUTED = """
      package com.example;

      import dev.llmtask.*;

      @LlmTask(promptVersion = "r@1", model = "model-a", fallbacks = "backup/model-b", temperature = 0.2, seed = 7,
               stop = {"END"}, maxOutputTokens = 300)
      public interface RoutedDesk {
        @UserPrompt("{{q}}")
        String ask(String q);
      }
      """;

  /** Fails every attempt with an exhausted quota, which falls back at once. */
  private static final LlmProvider NO_QUOTA = new LlmProvider() {
    @Override
    public String name() {
      return "primary";
    }

    @Override
    public CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout) {
      return CompletableFuture.failedFuture(new ProviderException(CallStatus.QUOTA_EXHAUSTED, false, 429, null,
          "HTTP 429 insufficient_quota", null));
    }
  };

  @Test
  void aRouteNamingAProviderTheRuntimeLacksFailsWhenTheTaskIsCreated() throws Exception {
    Compilation c = Sources.compile(Sources.source("com.example.RoutedDesk", ROUTED));
    assertThat(c).succeededWithoutWarnings();
    Class<?> desk = new CompiledClasses(c).loadClass("com.example.RoutedDesk");

    LlmRuntime alone = LlmRuntime.builder().provider(NO_QUOTA).build();
    assertThatThrownBy(() -> LlmTasks.create(desk, alone))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("com.example.RoutedDesk#ask (task ask): the route backup/model-b names no provider")
        .hasMessageContaining("LlmRuntime.builder().provider(\"backup\", …)");
  }

  @Test
  void theGeneratedTaskFallsBackWithTheDeclaredSamplingSettings() throws Exception {
    Compilation c = Sources.compile(Sources.source("com.example.RoutedDesk", ROUTED));
    assertThat(Sources.generated(c, "com.example.RoutedDesk_LlmTask"))
        .contains(".fallbacks(\"backup/model-b\")")
        .contains(".sampling(Sampling.builder().temperature(0.2).maxOutputTokens(300).seed(7L).stop(\"END\").build())")
        .contains("ASK.checkRoutes(runtime);");
    Class<?> desk = new CompiledClasses(c).loadClass("com.example.RoutedDesk");
    RotationDeskTest.ScriptedProvider backup = new RotationDeskTest.ScriptedProvider("{\"value\":\"ok\"}");
    LlmRuntime runtime = LlmRuntime.builder().provider(NO_QUOTA).provider("backup", backup).build();

    Object answer = desk.getMethod("ask", String.class).invoke(LlmTasks.create(desk, runtime), "q");

    assertThat(answer).isEqualTo("ok");
    ModelRequest sent = backup.requests.get(0);
    assertThat(sent.model()).isEqualTo("model-b");
    assertThat(sent.sampling().temperature()).isEqualTo(0.2);
    assertThat(sent.sampling().seed()).isEqualTo(7L);
    assertThat(sent.sampling().stop()).containsExactly("END");
    assertThat(sent.maxOutputTokens()).isEqualTo(300);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "fallbacks = \"claude-3-5-haiku\"|fallbacks entry \"claude-3-5-haiku\" must be written provider/model",
      "fallbacks = \"anthropic/ claude\"|fallbacks entry \"anthropic/ claude\" must be written provider/model",
      "fallbacks = \"x/m\", fallbackOn = CallStatus.AUTH_ERROR|fallbackOn cannot include AUTH_ERROR: another route"
          + " cannot fix it",
      "fallbacks = \"x/m\", fallbackOn = {CallStatus.TIMEOUT, CallStatus.BAD_REQUEST}|fallbackOn cannot include"
          + " BAD_REQUEST",
      "temperature = 2.5|temperature must be between 0 and 2 (or -1 to inherit), was 2.5",
      "topP = 0|topP must be above 0 and at most 1 (or -1 to inherit), was 0.0",
      "maxOutputTokens = 0|maxOutputTokens must be at least 1 (or -1 to inherit), was 0",
      "stop = {\"a\", \"b\", \"c\", \"d\", \"e\"}|stop takes at most 4 sequences, was 5",
      "fallbacks = \"anthropic/claude-3-5-haiku-latest\", seed = 3|seed cannot be sent on the task's anthropic route",
      "fallbacks = \"anthropic/claude-3-5-haiku-latest\", temperature = 1.5|temperature 1.5 cannot be sent on the"
          + " task's anthropic route"})
  void aBadRouteOrSettingIsACompileErrorOnTheAnnotation(String attributes, String message) {
    String src = """
        package com.example;

        import dev.llmtask.*;

        public interface Desk {
          @LlmTask(promptVersion = "r@1", %s)
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """.formatted(attributes);
    JavaFileObject file = Sources.source("com.example.Desk", src);
    Compilation c = Sources.compile(file);
    assertThat(c).hadErrorContaining(message).inFile(file).onLine(Sources.line(src, "@LlmTask("));
    assertThat(c.errors()).hasSize(1);
  }

  @Test
  void aRouteInADialectTheInterfaceLeavesOutIsACompileError() {
    String src = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "r@1", dialects = LlmTask.Dialect.OPENAI,
                 fallbacks = {"openai/gpt-4.1", "anthropic/claude-3-5-haiku-latest"})
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """;
    JavaFileObject file = Sources.source("com.example.Desk", src);
    Compilation c = Sources.compile(file);
    assertThat(c).hadErrorContaining("the route anthropic/claude-3-5-haiku-latest is sent in the ANTHROPIC dialect, but the"
        + " interface's @LlmTask(dialects = …) leaves it out").inFile(file).onLine(Sources.line(src, "fallbacks ="));
    assertThat(c.errors()).hasSize(1);
  }

  @Test
  void aMethodsRoutesReplaceTheInterfacesAndUnwrittenSettingsInherit() {
    String src = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "r@1", fallbacks = "x/a", temperature = 0.5)
        public interface Desk {
          @LlmTask(fallbacks = {"y/b", "z/c"}, fallbackOn = CallStatus.REFUSED)
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """;
    Compilation c = Sources.compile(Sources.source("com.example.Desk", src));
    assertThat(c).succeededWithoutWarnings();
    assertThat(Sources.generated(c, "com.example.Desk_LlmTask"))
        .contains(".fallbacks(\"y/b\", \"z/c\")")
        .contains(".fallbackOn(CallStatus.REFUSED)")
        .contains(".sampling(Sampling.builder().temperature(0.5).build())");
    assertThat(List.of(c.generatedSourceFiles().size())).containsExactly(1);
  }
}
