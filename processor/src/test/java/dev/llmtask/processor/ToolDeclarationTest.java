package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.llmtask.codegen.ToolSet;
import dev.llmtask.codegen.ToolSpec;
import dev.llmtask.processor.tool.ToolsWriter;
import java.lang.reflect.Proxy;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Tool} interfaces and {@code @LlmTask(tools = …)}: what is generated, and every compile error with its file and line. */
class ToolDeclarationTest {
  private static final String TOOLS = """
      package com.example;

      import com.fasterxml.jackson.annotation.JsonProperty;
      import dev.llmtask.tool.Tool;
      import jakarta.validation.constraints.*;
      import java.util.List;

      public interface RotationTools {
        record KeyQuery(@JsonProperty("account_id") @NotBlank String accountId) {}
        record KeyInfo(String keyId, int ageDays) {}
        record JobRequest(@JsonProperty("account_id") @NotBlank String accountId,
            @JsonProperty("window_days") @Min(1) @Max(365) int windowDays) {}
        record RotationJob(String id) {}

        @Tool("Looks up the stale key of an account")
        KeyInfo lookupKey(KeyQuery query);

        @Tool(value = "Creates the rotation job", action = true)
        RotationJob createRotationJob(JobRequest request);

        @Tool(name = "policy_lines")
        List<String> policy();
      }
      """;

  private static final String DESK = """
      package com.example;

      import dev.llmtask.*;

      @LlmTask(promptVersion = "rotate_key@1", model = "gpt-4o-mini", tools = RotationTools.class)
      public interface RotationDesk {
        record Answer(String decision) {}

        @UserPrompt("{{question}}")
        Answer rotateKey(String question, @IdempotencyKey String key);
      }
      """;

  private static Compilation compile(String... sources) {
    JavaFileObject[] files = new JavaFileObject[sources.length];
    for (int i = 0; i < sources.length; i++) {
      String name = sources[i].split("(interface|class|record|enum) ", 2)[1].split("[ <{(]", 2)[0];
      files[i] = JavaFileObjects.forSourceString("com.example." + name, sources[i]);
    }
    return Compiler.javac().withProcessors(new LlmTaskProcessor()).compile(files);
  }

  private static void errorIn(Compilation c, String fileName, String source, String message, String lineMarker) {
    assertThat(c.errors()).anySatisfy(d -> {
      assertThat(d.getMessage(null)).contains(message);
      assertThat(d.getSource().getName()).endsWith(fileName);
      assertThat(d.getLineNumber()).isEqualTo(line(source, lineMarker));
    });
  }

  @Test
  void generatesAToolSetWhoseSpecsDecodeArgumentsAndCallTheMethod() throws Exception {
    Compilation c = compile(TOOLS, DESK);

    assertThat(c).succeededWithoutWarnings();
    String desk = c.generatedSourceFile("com.example.RotationDesk_LlmTask").orElseThrow().getCharContent(true).toString();
    assertThat(desk).contains(".tools(RotationTools_LlmTools.TOOLS)");

    ClassLoader loader = new CompiledClasses(c);
    Class<?> iface = loader.loadClass("com.example.RotationTools");
    ToolSet<?> set = (ToolSet<?>) loader.loadClass("com.example.RotationTools_LlmTools").getField("TOOLS").get(null);
    assertThat(set.type()).isEqualTo(iface);
    assertThat(set.tools()).extracting(ToolSpec::name).containsExactly("lookup_key", "create_rotation_job", "policy_lines");
    assertThat(set.tools()).extracting(ToolSpec::action).containsExactly(false, true, false);
    assertThat(set.tools().get(0).description()).isEqualTo("Looks up the stale key of an account");
    ToolSpec<?, ?> create = set.tools().get(1);
    assertThat(create.arguments().openAi()).isEqualTo("{\"type\":\"object\",\"properties\":{\"account_id\":{\"type\":\"string\"},"
        + "\"window_days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":365}},\"required\":[\"account_id\",\"window_days\"],"
        + "\"additionalProperties\":false}");
    assertThat(create.arguments().anthropic()).contains("\"minLength\":1");
    assertThat(set.tools().get(2).arguments().openAi()).isEqualTo(ToolsWriter.NO_ARGUMENTS);
    assertThat(set.tools().get(2).decoder()).isNull();

    Object args;
    try (JsonParser p = new JsonFactory().createParser("{\"account_id\":\"acct_10234\",\"window_days\":30}")) {
      args = create.decoder().decode(p);
    }
    assertThat(args.toString()).isEqualTo("JobRequest[accountId=acct_10234, windowDays=30]");
    // the arguments' constraints are generated code, as for answers: no Hibernate Validator needed
    @SuppressWarnings("unchecked")
    dev.llmtask.codegen.AnswerConstraints<Object> checks =
        (dev.llmtask.codegen.AnswerConstraints<Object>) create.decoder().constraints();
    assertThat(checks).isNotNull();
    Object bad = loader.loadClass("com.example.RotationTools$JobRequest").getDeclaredConstructors()[0].newInstance(" ", 0);
    dev.llmtask.codegen.Violations found = new dev.llmtask.codegen.Violations();
    checks.check(bad, "", found);
    assertThat(found.toList()).containsExactly("accountId: must not be blank", "windowDays: must be greater than or equal to 1");
    Object tools = Proxy.newProxyInstance(loader, new Class<?>[] {iface}, (proxy, method, a) ->
        method.getName().equals("createRotationJob") ? loader.loadClass("com.example.RotationTools$RotationJob")
            .getDeclaredConstructors()[0].newInstance("job_for_" + a[0].toString()) : List.of("P-7"));
    @SuppressWarnings("unchecked")
    ToolSpec<Object, Object> call = (ToolSpec<Object, Object>) create;
    assertThat(call.invoker().invoke(tools, args).toString())
        .isEqualTo("RotationJob[id=job_for_JobRequest[accountId=acct_10234, windowDays=30]]");
    @SuppressWarnings("unchecked")
    ToolSpec<Object, Object> policy = (ToolSpec<Object, Object>) set.tools().get(2);
    assertThat(policy.invoker().invoke(tools, null)).isEqualTo(List.of("P-7"));
  }

  @Test
  void aToolParameterThatIsNotARecord() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface Lookup {
          @Tool
          String find(String accountId);
        }
        """;
    errorIn(compile(tools), "Lookup.java", tools, "tool parameter 'accountId' is String, which is not supported: a tool"
        + " takes one record (its arguments, e.g. `record JobRequest(String accountId, int windowDays)`) or none",
        "String find(");
  }

  @Test
  void aToolWithTwoParameters() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface Lookup {
          record A(String a) {}
          @Tool
          String find(A a, A b);
        }
        """;
    errorIn(compile(tools), "Lookup.java", tools, "@Tool method 'find' has 2 parameters; a tool takes one record (its"
        + " arguments) or none: gather them into a record, e.g. `record FindRequest(…)`", "String find(");
  }

  @Test
  void anUnsupportedTypeInsideTheArgumentsNamesItsPath() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface Lookup {
          record Query(String account, Object filter) {}
          @Tool
          String find(Query query);
        }
        """;
    Compilation c = compile(tools);
    assertThat(c).failed();
    assertThat(c.errors()).anySatisfy(d -> assertThat(d.getMessage(null)).contains("Query.filter: Object is not supported"));
  }

  @Test
  void aToolResultThatIsNotSupported() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface Lookup {
          @Tool
          Object find();
          @Tool
          void forget();
        }
        """;
    Compilation c = compile(tools);
    errorIn(c, "Lookup.java", tools, "@Tool method 'find' returns Object, which is not a supported tool result; return a"
        + " record, an enum, String, a number, a boolean or a List<…> of those", "Object find(");
    errorIn(c, "Lookup.java", tools, "@Tool method 'forget' returns void; a tool returns what the model is told",
        "void forget(");
  }

  @Test
  void duplicateToolNames() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface Lookup {
          @Tool
          String findKey();
          @Tool(name = "find_key")
          String findTheKey();
        }
        """;
    errorIn(compile(tools), "Lookup.java", tools, "duplicate tool name \"find_key\": 'findKey' has it too; give one of"
        + " them another @Tool(name = \"…\")", "@Tool(name = \"find_key\")");
  }

  @Test
  void toolOnAClassMethod() {
    String tools = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public class Lookup {
          @Tool
          public String find() { return ""; }
        }
        """;
    errorIn(compile(tools), "Lookup.java", tools, "@Tool goes on a method of an interface, not of a class; declare the"
        + " tools as abstract methods of an interface", "public String find(");
  }

  @Test
  void aTaskThatMayCallAnActionWithoutAnIdempotencyKey() {
    String desk = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "rotate_key@1", model = "gpt-4o-mini", tools = RotationTools.class)
        public interface RotationDesk {
          record Answer(String decision) {}

          @UserPrompt("{{question}}")
          Answer rotateKey(String question);
        }
        """;
    Compilation c = compile(TOOLS, desk);
    errorIn(c, "RotationDesk.java", desk, "task method 'rotateKey' may call the action \"create_rotation_job\""
        + " (RotationTools#createRotationJob), but has no @IdempotencyKey parameter; add `@IdempotencyKey String key`",
        "Answer rotateKey(");
    assertThat(c.errors()).hasSize(1);
  }

  @Test
  void toolsThatAreNotAnInterfaceOrHaveNoTools() {
    String desk = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "ask@1", model = "gpt-4o-mini")
        public interface Desk {
          class Helpers {}
          interface Plain { String help(); }

          @LlmTask(tools = Helpers.class)
          @UserPrompt("{{question}}")
          String ask(String question);

          @LlmTask(tools = Plain.class)
          @UserPrompt("{{question}}")
          String askAgain(String question);
        }
        """;
    Compilation c = compile(desk);
    errorIn(c, "Desk.java", desk, "tools = Helpers.class names a class; tools are the @Tool methods of an interface:"
        + " declare `interface Helpers { @Tool … }` and implement it", "@LlmTask(tools = Helpers.class)");
    errorIn(c, "Desk.java", desk, "tools = Plain.class names an interface without @Tool methods; mark the methods the"
        + " model may call with @Tool", "@LlmTask(tools = Plain.class)");
  }

  @Test
  void twoToolsInterfacesWithTheSameToolNameAndAStreamedTask() {
    String more = """
        package com.example;
        import dev.llmtask.tool.Tool;
        public interface MoreTools {
          @Tool
          String lookupKey();
        }
        """;
    String desk = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "ask@1", model = "gpt-4o-mini")
        public interface Desk {
          @LlmTask(tools = {RotationTools.class, MoreTools.class})
          @UserPrompt("{{question}}")
          String ask(String question, @IdempotencyKey String key);

          @LlmTask(tools = MoreTools.class)
          @UserPrompt("{{question}}")
          LlmStream<String> stream(String question);
        }
        """;
    Compilation c = compile(TOOLS, more, desk);
    errorIn(c, "Desk.java", desk, "task method 'ask' may use two tools named \"lookup_key\" (in RotationTools and"
        + " MoreTools); rename one with @Tool(name = \"…\")", "@LlmTask(tools = {RotationTools.class");
    errorIn(c, "Desk.java", desk, "task method 'stream' streams its answer, and a streamed task cannot use tools",
        "@LlmTask(tools = MoreTools.class)");
    assertThat(c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)).hasSize(2);
  }
}
