package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.generated;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated code for return shapes, special parameters, inheritance of attributes, naming and DI. */
class GenerationTest {

  private static final String SHAPES = """
      package com.example;

      import dev.llmtask.CallOptions;
      import dev.llmtask.IdempotencyKey;
      import dev.llmtask.LlmResult;
      import dev.llmtask.LlmStream;
      import dev.llmtask.LlmTask;
      import dev.llmtask.TraceId;
      import dev.llmtask.UserPrompt;
      import java.util.concurrent.CompletableFuture;

      @LlmTask(promptVersion = "shapes@1")
      public interface Shapes {
        record Answer(String text) {}

        @UserPrompt("Q: {{q}} (answer briefly)")
        Answer plain(String q);

        @UserPrompt("{{q}}")
        LlmResult<Answer> withRecord(String q);

        @UserPrompt("{{q}}")
        CompletableFuture<Answer> async(String q);

        @UserPrompt("{{q}}")
        CompletableFuture<LlmResult<Answer>> asyncWithRecord(String q, @TraceId String trace,
            @IdempotencyKey String key, CallOptions options);

        @UserPrompt("{{q}}")
        LlmStream<Answer> streamed(String q);

        @UserPrompt("{{q}}")
        LlmStream<String> streamedText(String q);
      }
      """;

  private static String shapesCode() {
    Compilation c = Sources.compile(Sources.source("com.example.Shapes", SHAPES));
    assertThat(c).succeededWithoutWarnings();
    return generated(c, "com.example.Shapes_LlmTask");
  }

  @Test
  void eachReturnShapeCallsItsSpecMethod() {
    String code = shapesCode();
    assertThat(code)
        .contains("public Shapes.Answer plain(String q) {")
        .contains("return PLAIN.call(this.runtime, invocation);")
        .contains("public LlmResult<Shapes.Answer> withRecord(String q) {")
        .contains("return WITH_RECORD.callForResult(this.runtime, invocation);")
        .contains("public CompletableFuture<Shapes.Answer> async(String q) {")
        .contains("return ASYNC.callAsync(this.runtime, invocation);")
        .contains("public CompletableFuture<LlmResult<Shapes.Answer>> asyncWithRecord(String q, String trace,\n"
            + "      String key, CallOptions options) {")
        .contains("return ASYNC_WITH_RECORD.callForResultAsync(this.runtime, invocation);")
        .contains("public LlmStream<Shapes.Answer> streamed(String q) {")
        .contains("return STREAMED.stream(this.runtime, invocation);")
        .contains("private static final TaskSpec<Shapes.Answer> STREAMED = "
            + "TaskSpec.builder(\"streamed\", OutputDecoder.of(Shapes.Answer.class, AnswerConstraints.none()))")
        .contains("public LlmStream<String> streamedText(String q) {")
        .contains("return STREAMED_TEXT.stream(this.runtime, invocation);")
        .contains("private static final TaskSpec<String> STREAMED_TEXT = "
            + "TaskSpec.builder(\"streamed_text\", OutputDecoder.wrapped(String.class, \"value\"))")
        .contains("private static final TaskSpec<Shapes.Answer> ASYNC_WITH_RECORD = "
            + "TaskSpec.builder(\"async_with_record\", OutputDecoder.of(Shapes.Answer.class, AnswerConstraints.none()))");
  }

  @Test
  void withoutSystemPromptOnlyTheUserPromptIsGivenAndTextAroundPlaceholdersIsRendered() {
    assertThat(shapesCode()).contains("Invocation<Shapes.Answer> invocation = Invocation.<Shapes.Answer>user("
        + "\"Q: \" + PromptText.of(\"q\", q) + \" (answer briefly)\");\n"
        + "    return PLAIN.call(this.runtime, invocation);")
        .doesNotContain("null,").doesNotContain(".system(");
  }

  @Test
  void specialParametersGoToTheInvocation() {
    assertThat(shapesCode()).contains("PromptText.of(\"q\", q))\n"
        + "        .traceId(trace)\n"
        + "        .idempotencyKey(key)\n"
        + "        .options(options);");
  }

  @Test
  void contractAttributesAreOmittedWhenNotDeclared() {
    String code = shapesCode();
    assertThat(code).contains(".promptVersion(\"shapes@1\")")
        .doesNotContain(".model(").doesNotContain(".timeout(").doesNotContain(".maxRetries(")
        .doesNotContain(".repairs(");
  }

  @Test
  void methodAttributesOverrideInterfaceAttributesAndDefaultsInherit() {
    Compilation c = Sources.compile(Sources.source("com.example.Overrides", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "base@1", model = "m1", timeout = "20s", repairs = 3, maxRetries = 4)
        public interface Overrides {
          @LlmTask(name = "custom-name", model = "m2", timeout = "1500ms", maxRetries = 0)
          @UserPrompt("{{q}}")
          String first(String q);

          @LlmTask(model = "", maxRetries = -1)
          @UserPrompt("{{q}}")
          String second(String q);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.Overrides_LlmTask");
    assertThat(code).contains("TaskSpec.builder(\"custom-name\", OutputDecoder.wrapped(String.class, \"value\"))\n"
        + "      .declaredBy(\"com.example.Overrides#first\")\n"
        + "      .promptVersion(\"base@1\")\n"
        + "      .model(\"m2\")\n"
        + "      .timeout(Duration.ofMillis(1500))\n"
        + "      .maxRetries(0)\n"
        + "      .repairs(3)\n"
        + "      .schema(new OutputSchema(\"custom-name\", FIRST_SCHEMA, FIRST_SCHEMA))");
    assertThat(code).contains("TaskSpec.builder(\"second\", OutputDecoder.wrapped(String.class, \"value\"))\n"
        + "      .declaredBy(\"com.example.Overrides#second\")\n"
        + "      .promptVersion(\"base@1\")\n"
        + "      .model(\"m1\")\n"
        + "      .timeout(Duration.ofSeconds(20))\n"
        + "      .maxRetries(4)\n"
        + "      .repairs(3)\n"
        + "      .schema(new OutputSchema(\"second\", FIRST_SCHEMA, FIRST_SCHEMA))");
    // the two String answers have one schema text, written once
    assertThat(code).containsOnlyOnce(" String FIRST_SCHEMA = ").doesNotContain("SECOND_SCHEMA")
        .doesNotContain("_OPENAI_SCHEMA");
  }

  @Test
  void methodLevelLlmTaskMakesTheInterfaceATaskInterface() {
    Compilation c = Sources.compile(Sources.source("com.example.Loose", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        public interface Loose {
          @LlmTask(promptVersion = "loose@1", timeout = "2m")
          @UserPrompt("{{text}}")
          String summarizeScan(String text);

          default String shout(String s) {
            return s.toUpperCase();
          }

          static Loose none() {
            return null;
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.Loose_LlmTask");
    assertThat(code).contains("TaskSpec.builder(\"summarize_scan\"")
        .contains(".timeout(Duration.ofMinutes(2))")
        .contains("public String summarizeScan(String text) {")
        .doesNotContain("shout(").doesNotContain("none(");
  }

  @Test
  void nestedInterfaceGetsOuterPrefixedName() {
    Compilation c = Sources.compile(Sources.source("com.example.Outer", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        public class Outer {
          @LlmTask(promptVersion = "desk@1")
          public interface Desk {
            @UserPrompt("{{text}}")
            String draftReply(String text);
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.example.Outer_Desk_LlmTask"))
        .contains("public final class Outer_Desk_LlmTask implements Outer.Desk {")
        .contains(".declaredBy(\"com.example.Outer.Desk#draftReply\")");
  }

  @Test
  void injectAnnotationsWhenJakartaInjectIsOnTheClasspath() {
    String code = shapesCode();
    assertThat(code).contains("import jakarta.inject.Inject;")
        .contains("@Named\n@Singleton\npublic final class Shapes_LlmTask")
        .contains("@Inject\n  public Shapes_LlmTask(LlmRuntime runtime) {");
  }

  @Test
  void noInjectAnnotationsWithoutJakartaInject() {
    assertThat(Sources.testClasspath()).anyMatch(e -> e.contains("jakarta.inject"));
    Compilation c = Sources.compileWithClasspath(e -> e.contains("jakarta.inject"), List.of(),
        Sources.source("com.example.Shapes", SHAPES));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.Shapes_LlmTask");
    assertThat(code).doesNotContain("jakarta.inject").doesNotContain("@Singleton").doesNotContain("@Named")
        .doesNotContain("@Inject")
        .contains("public Shapes_LlmTask(LlmRuntime runtime) {");
  }

  @Test
  void localNamesAvoidParameterNames() {
    Compilation c = Sources.compile(Sources.source("com.example.Clash", """
        package com.example;

        import dev.llmtask.Check;
        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;
        import java.util.List;

        @LlmTask(promptVersion = "clash@1")
        public interface Clash {
          @UserPrompt("{{invocation}} {{value}} {{runtime}}")
          String echo(String invocation, String value, String runtime);

          @Check
          default List<String> sameLength(String answer, String value) {
            return answer.length() == value.length() ? List.of() : List.of("length differs");
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.example.Clash_LlmTask"))
        .contains("Invocation<String> invocation2 = Invocation.<String>user(")
        .contains(".check(\"sameLength\", value2 -> sameLength(value2, value));")
        .contains("return ECHO.call(this.runtime, invocation2);");
  }

  @Test
  void checksApplyOnlyToTasksWithTheirResultType() {
    Compilation c = Sources.compile(Sources.source("com.example.TwoTasks", """
        package com.example;

        import dev.llmtask.Check;
        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;
        import java.util.List;

        @LlmTask(promptVersion = "two@1")
        public interface TwoTasks {
          record Reply(String text) {}

          @UserPrompt("{{q}}")
          Reply reply(String q);

          @UserPrompt("{{q}}")
          String other(String q);

          @Check
          default List<String> notEmpty(Reply r) {
            return r.text().isEmpty() ? List.of("text is empty") : List.of();
          }
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    String code = generated(c, "com.example.TwoTasks_LlmTask");
    assertThat(code).containsOnlyOnce(".check(\"notEmpty\", value -> notEmpty(value))");
    assertThat(code.substring(code.indexOf("public String other("))).doesNotContain(".check(");
  }

  @Test
  void checksInheritedFromASuperinterfaceApplyAndRedeclaredMethodsBecomeTasks() {
    Compilation c = Sources.compile(Sources.source("com.example.Rules", """
        package com.example;

        import dev.llmtask.Check;
        import java.util.List;

        public interface Rules {
          String ask(String q);

          @Check
          default List<String> notBlank(String answer, String q) {
            return answer.isBlank() ? List.of("answer to " + q.length() + " chars is blank") : List.of();
          }
        }
        """), Sources.source("com.example.Desk", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "desk@1")
        public interface Desk extends Rules {
          @Override
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.example.Desk_LlmTask"))
        .contains("public String ask(String q) {")
        .contains(".check(\"notBlank\", value -> notBlank(value, q));");
  }

  @Test
  void promptTextComesFromAClassPathResource(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("prompts"));
    Files.writeString(dir.resolve("prompts/rotation_user.txt"), "Question: {{question}}\nBe brief.");
    Compilation c = Sources.compileWithClasspath(e -> false, List.of(dir.toFile()),
        Sources.source("com.example.FromFile", """
            package com.example;

            import dev.llmtask.LlmTask;
            import dev.llmtask.UserPrompt;

            @LlmTask(promptVersion = "file@1")
            public interface FromFile {
              @UserPrompt(resource = "prompts/rotation_user.txt")
              String ask(String question);
            }
            """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c, "com.example.FromFile_LlmTask"))
        .contains("\"Question: \" + PromptText.of(\"question\", question) + \"\\n\"\n"
            + "        + \"Be brief.\");");
  }

  @Test
  void schemaTextBlocksKeepBackslashesQuoteRunsAndSpacesOfDescriptions() {
    Compilation c = Sources.compile(Sources.source("com.example.Quoted", """
        package com.example;

        import com.fasterxml.jackson.annotation.JsonPropertyDescription;
        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "quoted@1")
        public interface Quoted {
          record Answer(@JsonPropertyDescription("a \\"\\"\\" run, a \\\\ and a tab\\t ") String text) {}

          @UserPrompt("{{q}}")
          Answer ask(String q);
        }
        """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(Sources.staticString(c, "com.example.Quoted_LlmTask", "ASK_OPENAI_SCHEMA")).isEqualTo(
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":"
            + "\"a \\\"\\\"\\\" run, a \\\\ and a tab\\t \"}},\"required\":[\"text\"],\"additionalProperties\":false}");
  }
}
