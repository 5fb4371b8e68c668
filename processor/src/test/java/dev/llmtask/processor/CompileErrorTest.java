package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every check: message, file and line; nothing is generated for an interface with errors. */
class CompileErrorTest {
  private static final String HEADER = """
      package com.example;

      import dev.llmtask.*;
      import java.util.*;

      """;

  /** Compiles {@code com.example.Desk} with {@code body} and returns the compilation and source. */
  private static Result compile(String body) {
    String src = HEADER + body;
    JavaFileObject file = Sources.source("com.example.Desk", src);
    RecordingProcessor processor = new RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(file);
    return new Result(c, file, src, processor.createdSources);
  }

  private record Result(Compilation compilation, JavaFileObject file, String src, List<String> created) {
    Result error(String message, String lineMarker) {
      assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(line(src, lineMarker));
      return this;
    }

    void nothingGenerated() {
      assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
      assertThat(created).isEmpty();
    }

    long errors() {
      return compilation.errors().size();
    }
  }

  // 1. annotated class / record / enum instead of an interface

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "public class Desk {}|a class",
      "public record Desk(String a) {}|a record",
      "public enum Desk { A }|an enum",
      "public abstract class Desk {}|a class"})
  void llmTaskOnATypeThatIsNotAnInterface(String declaration, String kind) {
    compile("@LlmTask(promptVersion = \"x@1\")\n" + declaration + "\n")
        .error("@LlmTask goes on an interface, not on " + kind + "; declare `public interface Desk { … }` with "
            + "abstract task methods, and the processor generates Desk_LlmTask to implement it", "@LlmTask(")
        .nothingGenerated();
  }

  @Test
  void llmTaskOnAMethodOfAClass() {
    compile("""
        public class Desk {
          @LlmTask(promptVersion = "x@1")
          String ask(String q) { return q; }
        }
        """).error("@LlmTask goes on a method of an interface, not of a class; move 'ask' into an interface "
        + "as an abstract method", "@LlmTask(");
  }

  // 2. placeholder naming no parameter

  @Test
  void placeholderWithoutParameter() {
    Result r = compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @SystemPrompt("Policy: {{policy}}")
          @UserPrompt("{{qestion}}")
          String ask(String question, String policy);
        }
        """);
    r.error("placeholder {{qestion}} in @UserPrompt names no parameter of 'ask'; the parameters you can use are: "
        + "question, policy. Fix the name or add a parameter 'qestion'", "@UserPrompt(")
        .error("parameter 'question' is not used in any prompt", "String ask(")
        .nothingGenerated();
    assertThat(r.errors()).isEqualTo(2);
  }

  @Test
  void placeholderNamingASpecialParameter() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}} {{trace}}")
          String ask(String q, @TraceId String trace);
        }
        """).error("placeholder {{trace}} in @UserPrompt names the @TraceId parameter; prompts can only use plain "
        + "parameters", "@UserPrompt(").nothingGenerated();
  }

  // 3. unused parameter

  @Test
  void parameterUsedByNoPlaceholder() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{question}}")
          String ask(String question,
              String policy);
        }
        """).error("parameter 'policy' is not used in any prompt: add {{policy}} to @UserPrompt or @SystemPrompt, "
        + "or annotate it @TraceId/@IdempotencyKey", "String policy").nothingGenerated();
  }

  // 4. missing promptVersion

  @Test
  void missingPromptVersion() {
    compile("""
        @LlmTask(model = "gpt-4o-mini")
        public interface Desk {
          @UserPrompt("{{q}}")
          String draftReply(String q);
        }
        """).error("task method 'draftReply' has no promptVersion; add @LlmTask(promptVersion = \"draft_reply@1\") "
        + "to the method or to its interface", "String draftReply(").nothingGenerated();
  }

  // 5. malformed timeout

  @ParameterizedTest
  @ValueSource(strings = {"20 sec", "0s", "20", "1.5s", "-5s", "PT20S", "99999999999999999h", "0ms"})
  void malformedTimeout(String timeout) {
    compile("""
        @LlmTask(promptVersion = "x@1",
            timeout = "%s")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """.formatted(timeout))
        .error("malformed timeout \"" + timeout + "\"; write a positive whole number followed by ms, s, m or h, "
            + "e.g. timeout = \"20s\" or timeout = \"1500ms\"", "timeout =")
        .nothingGenerated();
  }

  @Test
  void malformedTimeoutOnTheMethod() {
    compile("""
        @LlmTask(promptVersion = "x@1", timeout = "20s")
        public interface Desk {
          @LlmTask(timeout = "soon")
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """).error("malformed timeout \"soon\"", "@LlmTask(timeout");
  }

  // 6. unsupported types, with their path

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Object owner|Ticket.tags[].owner: Object is not supported; use a record, an enum, String, a number, "
          + "a boolean, List<…> or Optional<…>",
      "Map<String, String> owner|Ticket.tags[].owner: Map<String,String> is not supported; use a List<…> of "
          + "records with key and value components instead of a Map",
      "List owner|Ticket.tags[].owner: raw List is not supported; write List<…> with a type argument",
      "List<?> owner|Ticket.tags[].owner: the wildcard List<?> is not supported; name the element type",
      "String[] owner|Ticket.tags[].owner: String[] is not supported; use List<String> instead of an array",
      "Runnable owner|Ticket.tags[].owner: Runnable is not supported",
      "Date owner|Ticket.tags[].owner: Date is not supported",
      "char owner|Ticket.tags[].owner: char is not supported",
      "Optional<Object> owner|Ticket.tags[].owner: Object is not supported",
      "List<Set<String>> owner|Ticket.tags[].owner[]: Set<String> is not supported",
      "Box<String> owner|Ticket.tags[].owner: the generic record Box<String> is not supported"})
  void unsupportedTypeInsideTheAnswer(String component, String message) {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          record Box<T>(T value) {}
          record Tag(String label, %s) {}
          record Ticket(String title, List<Tag> tags) {}

          @UserPrompt("{{q}}")
          Ticket triage(String q);
        }
        """.formatted(component)).error(message, "record Tag(").nothingGenerated();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Object|task method 'ask' returns Object, which is not a supported task result; return a record, an enum, "
          + "String, a number, a boolean or a List<…> of those, optionally inside LlmResult<…> and/or "
          + "CompletableFuture<…>",
      "void|task method 'ask' returns void, which is not a supported task result",
      "Map<String, Integer>|task method 'ask' returns Map<String,Integer>, which is not a supported task result",
      "List<List<String>>|task method 'ask' returns List<List<String>>, which is not a supported task result",
      "LlmResult|task method 'ask' returns a raw or wildcard LlmResult; write LlmResult<YourResult>",
      "java.util.concurrent.CompletableFuture<?>|task method 'ask' returns a raw or wildcard CompletableFuture",
      "LlmStream|task method 'ask' returns a raw or wildcard LlmStream; write LlmStream<YourResult>",
      "LlmStream<LlmResult<String>>|task method 'ask' returns LlmStream<LlmResult<…>>; write LlmStream<YourResult>: "
          + "its result() gives the value with its CallRecord",
      "LlmStream<Object>|task method 'ask' returns Object, which is not a supported task result"})
  void unsupportedReturnType(String returnType, String message) {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          %s ask(String q);
        }
        """.formatted(returnType)).error(message, " ask(").nothingGenerated();
  }

  @Test
  void adviceNamesTheRecordToDeclareAndTheBoxedTypeOfAnArray() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          class Triage { public String summary; }
          record Counts(int[] counts) {}

          @UserPrompt("{{q}}")
          Triage triage(String q);

          @UserPrompt("{{q}}")
          Counts count(String q);
        }
        """)
        .error("task method 'triage' returns Triage, which is not a supported task result; declare Triage as a "
            + "record, e.g. `record Triage(String summary) {}`, or return a record, an enum", "Triage triage(")
        .error("Counts.counts: int[] is not supported; use List<Integer> instead of an array", "record Counts(")
        .nothingGenerated();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "double[] ratios|Counts.ratios: double[] is not supported; use List<Double> instead of an array",
      "char[] letters|Counts.letters: char[] is not supported; use List<Character> instead of an array",
      "Owner owner|Counts.owner: Owner is not supported; declare Owner as a record"})
  void adviceInsideTheAnswer(String component, String message) {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          class Owner { String name; }
          record Counts(%s) {}

          @UserPrompt("{{q}}")
          Counts count(String q);
        }
        """.formatted(component)).error(message, "record Counts(").nothingGenerated();
  }

  @Test
  void aJsonPropertyNameUsedTwiceIsAnErrorOnTheSecondComponent() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          record Tag(@com.fasterxml.jackson.annotation.JsonProperty("label") String first,
              @com.fasterxml.jackson.annotation.JsonProperty("label") String second) {}

          @UserPrompt("{{q}}")
          Tag tag(String q);
        }
        """).error("Tag.second: the JSON property name \"label\" is used twice in Tag; give each component its own "
        + "@JsonProperty name", "String second)").nothingGenerated();
  }

  // 6b. prompt parameter types and {{parameter.component}} paths

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Object value|parameter 'value' is Object, which cannot be rendered into a prompt; a prompt parameter is a "
          + "String, a primitive or its box, an enum, a record, or a List<…> or Optional<…> of those",
      "Customer value|parameter 'value' is Customer, which cannot be rendered into a prompt; declare Customer as a "
          + "record, e.g. `record Customer(String name) {}` (a prompt parameter is a String",
      "int[] value|parameter 'value' is int[], which cannot be rendered into a prompt; use List<Integer> instead "
          + "of an array",
      "Map<String, String> value|parameter 'value' is Map<String,String>, which cannot be rendered into a prompt; "
          + "use a record with one component per entry",
      "Set<String> value|parameter 'value' is Set<String>, which cannot be rendered into a prompt; use List<String>",
      "List value|parameter 'value' is raw List, which cannot be rendered into a prompt; write List<…> with a type "
          + "argument",
      "List<?> value|parameter 'value' is the wildcard List<?>, which cannot be rendered into a prompt; name the "
          + "element type",
      "List<List<String>> value|parameter 'value' is List<List<String>>, which cannot be rendered into a prompt; "
          + "a List<…> or Optional<…> holds a String, a box, an enum or a record; put the inner List in a record",
      "Optional<Object> value|parameter 'value' is Object, which cannot be rendered into a prompt",
      "java.time.Instant value|parameter 'value' is Instant, which cannot be rendered into a prompt",
      "Box<String> value|parameter 'value' is Box<String>, which cannot be rendered into a prompt; declare a record "
          + "without type parameters",
      "Holder value|parameter 'value' is Holder, whose component Holder.when is Date, which cannot be rendered "
          + "into a prompt",
      "List<Holder> value|parameter 'value' is List<Holder>, whose component Holder.when is Date, which cannot be "
          + "rendered into a prompt"})
  void parameterTypesThatCannotBeRenderedAreErrorsOnTheParameter(String parameter, String message) {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          class Customer { String name; }
          record Box<T>(T value) {}
          record Holder(String name, Date when) {}

          @UserPrompt("{{value}}")
          String ask(
              %s);
        }
        """.formatted(parameter)).error(message, parameter + ")").nothingGenerated();
  }

  @Test
  void everyDocumentedParameterTypeCompiles() {
    Result r = compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          enum Tier { GOLD, SILVER }
          record Customer(String name, Tier tier, Optional<String> email, List<Integer> scores, Customer referrer) {}

          @UserPrompt("{{s}} {{i}} {{b}} {{c}} {{boxed}} {{tier}} {{customer}} {{tags}} {{note}} {{people}} "
              + "{{maybe}} {{customer.name}} {{customer.referrer.tier}}")
          String ask(String s, int i, boolean b, char c, Long boxed, Tier tier, Customer customer, List<String> tags,
              Optional<String> note, List<Customer> people, Optional<Customer> maybe);
        }
        """);
    assertThat(r.compilation()).succeededWithoutWarnings();
    assertThat(r.created()).containsExactly("com.example.Desk_LlmTask");
  }

  @Test
  void aPathNamingNoComponentIsAnErrorOnThePromptNamingTheRecordAndItsComponents() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          record Customer(String name, int tier) {}
          record Ticket(String subject, Customer customer) {}

          @UserPrompt("{{ticket.subjct}} {{ticket.customer.nme}}")
          String ask(Ticket ticket);
        }
        """)
        .error("placeholder {{ticket.subjct}} in @UserPrompt names no component of ticket (record Ticket); the "
            + "components of Ticket are: subject, customer", "@UserPrompt(")
        .error("placeholder {{ticket.customer.nme}} in @UserPrompt names no component of ticket.customer (record "
            + "Customer); the components of Customer are: name, tier", "@UserPrompt(")
        .nothingGenerated();
  }

  @Test
  void aPathThroughSomethingOtherThanARecordIsAnError() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          record Ticket(String subject, Optional<Ticket> parent) {}

          @SystemPrompt("{{q.length}}")
          @UserPrompt("{{ticket.parent.subject}}")
          String ask(String q, Ticket ticket);
        }
        """)
        .error("placeholder {{q.length}} in @SystemPrompt reads 'length' of q, which is String, not a record; a path "
            + "steps through record components only: write {{q}}", "@SystemPrompt(")
        .error("placeholder {{ticket.parent.subject}} in @UserPrompt reads 'subject' of ticket.parent, which is "
            + "Optional<Ticket>, not a record", "@UserPrompt(")
        .nothingGenerated();
  }

  // 7. missing @UserPrompt, unreadable prompts

  @Test
  void missingUserPrompt() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @SystemPrompt("{{q}}")
          String ask(String q);
        }
        """).error("task method 'ask' has no @UserPrompt; add @UserPrompt(\"… {{parameter}} …\") with the text sent "
        + "as the user message", "String ask(").nothingGenerated();
  }

  @Test
  void missingPromptResource() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt(resource = "prompts/missing.txt")
          String ask(String q);
        }
        """).error("@UserPrompt resource \"prompts/missing.txt\" was not found on the class path or source path; "
        + "put the file at src/main/resources/prompts/missing.txt or write the text inline as @UserPrompt(\"…\")",
        "@UserPrompt(").nothingGenerated();
  }

  @Test
  void promptWithBothValueAndResourceOrNeither() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @SystemPrompt(value = "{{q}}", resource = "p.txt")
          @UserPrompt("{{q}}")
          String ask(String q);

          @UserPrompt()
          String other(String q);
        }
        """)
        .error("@SystemPrompt has both a value and a resource; keep one", "@SystemPrompt(")
        .error("@UserPrompt is empty; write @UserPrompt(\"… {{parameter}} …\") or @UserPrompt(resource = "
            + "\"prompts/….txt\")", "@UserPrompt()")
        .nothingGenerated();
  }

  // 8. special parameters

  @Test
  void traceIdAndIdempotencyKeyMustBeStrings() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q,
              @TraceId Integer trace,
              @IdempotencyKey long key);
        }
        """)
        .error("@TraceId parameter 'trace' must be a String, not Integer; declare it as @TraceId String trace",
            "@TraceId Integer")
        .error("@IdempotencyKey parameter 'key' must be a String, not long; declare it as @IdempotencyKey String key",
            "@IdempotencyKey long")
        .nothingGenerated();
  }

  @Test
  void twoTraceIds() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q,
              @TraceId String first,
              @TraceId String second);
        }
        """).error("task method 'ask' has two @TraceId parameters ('first' and 'second'); keep one",
        "@TraceId String second").nothingGenerated();
  }

  @Test
  void aTenantParameterMustBeAStringAndThereIsAtMostOne() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q,
              @Tenant long account);

          @UserPrompt("{{q}}")
          String other(String q,
              @Tenant String first,
              @Tenant String second);

          @UserPrompt("{{q}}")
          String third(String q,
              @Tenant @TraceId String both);
        }
        """)
        .error("@Tenant parameter 'account' must be a String, not long; declare it as @Tenant String account",
            "@Tenant long")
        .error("task method 'other' has two @Tenant parameters ('first' and 'second'); keep one",
            "@Tenant String second")
        .error("parameter 'both' cannot be both @Tenant and @TraceId; declare two String parameters",
            "@Tenant @TraceId String both")
        .nothingGenerated();
  }

  // 9. generic, overloaded, duplicate names

  @Test
  void genericTaskMethod() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          <T> String ask(String q);
        }
        """).error("task method 'ask' must not be generic; remove <T> and declare a concrete result type",
        "String ask(").nothingGenerated();
  }

  @Test
  void overloadedTaskMethods() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q);

          @UserPrompt("{{q}} {{n}}")
          String ask(String q, int n);
        }
        """)
        .error("task method 'ask' is overloaded; give each task method its own name", "String ask(String q)")
        .error("task method 'ask' is overloaded; give each task method its own name", "String ask(String q, int n)")
        .nothingGenerated();
  }

  @Test
  void duplicateTaskNames() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String decideRotation(String q);

          @LlmTask(name = "decide_rotation")
          @UserPrompt("{{q}}")
          String decideAgain(String q);
        }
        """).error("duplicate task name 'decide_rotation': method 'decideRotation' already uses it; set a unique "
        + "@LlmTask(name = \"…\") on one of them", "@LlmTask(name").nothingGenerated();
  }

  @Test
  void duplicateTaskNameAcrossInterfacesOfOneCompilation() {
    String first = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "x@1")
        public interface RotationDesk {
          @UserPrompt("{{q}}")
          String decideRotation(String q);
        }
        """;
    String second = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "y@1")
        public interface AuditDesk {
          @UserPrompt("{{q}}")
          String review(String q);

          @LlmTask(name = "decide_rotation")
          @UserPrompt("{{q}}")
          String decide(String q);
        }
        """;
    JavaFileObject firstFile = Sources.source("com.example.RotationDesk", first);
    JavaFileObject secondFile = Sources.source("com.example.AuditDesk", second);
    RecordingProcessor processor = new RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(firstFile, secondFile);
    assertThat(c).hadErrorContaining("duplicate task name 'decide_rotation': com.example.RotationDesk#decideRotation "
        + "already uses it in this compilation, and task names key telemetry and per-task configuration; set a unique "
        + "@LlmTask(name = \"…\") on one of them").inFile(secondFile).onLine(line(second, "@LlmTask(name"));
    assertThat(c.errors()).hasSize(1);
    assertThat(processor.createdSources).containsExactly("com.example.RotationDesk_LlmTask");
  }

  @Test
  void invalidTaskName() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @LlmTask(name = "decide rotation!")
          @UserPrompt("{{q}}")
          String decide(String q);
        }
        """).error("task name \"decide rotation!\" is not valid; use 1 to 64 characters of a-z, A-Z, 0-9, _ and -",
        "@LlmTask(name").nothingGenerated();
  }

  // 10. @Check mismatches

  private static final String CHECK_DESK = """
      @LlmTask(promptVersion = "x@1")
      public interface Desk {
        record Answer(String text) {}

        @UserPrompt("{{q}} {{policy}}")
        Answer ask(String q, String policy);

        %s
      }
      """;

  @Test
  void checkMustBeDefault() {
    compile(CHECK_DESK.formatted("@Check List<String> rule(Answer a);"))
        .error("@Check method 'rule' must be a default method; write `default List<String> rule(YourResult value, …) "
            + "{ … }`", "rule(").nothingGenerated();
  }

  @Test
  void checkMustNotBeStatic() {
    compile(CHECK_DESK.formatted("@Check static List<String> rule(Answer a) { return List.of(); }"))
        .error("@Check method 'rule' must be a default method, not static", "rule(").nothingGenerated();
  }

  @Test
  void checkMustReturnListOfString() {
    compile(CHECK_DESK.formatted("@Check default String rule(Answer a) { return \"\"; }"))
        .error("@Check method 'rule' must return List<String> (the violations, empty when the answer passes), "
            + "not String", "rule(").nothingGenerated();
  }

  @Test
  void checkFirstParameterMustBeAResultType() {
    compile(CHECK_DESK.formatted("@Check default List<String> rule(Integer n) { return List.of(); }"))
        .error("@Check method 'rule' takes Integer first, which no task method of this interface returns; the first "
            + "parameter must be a task's result type: Answer", "rule(").nothingGenerated();
  }

  @Test
  void checkWithoutParameters() {
    compile(CHECK_DESK.formatted("@Check default List<String> rule() { return List.of(); }"))
        .error("@Check method 'rule' must take the task's result as its first parameter, e.g. rule(Answer value)",
            "rule(").nothingGenerated();
  }

  @Test
  void checkParameterMatchingNoTaskParameter() {
    compile(CHECK_DESK.formatted("""
        @Check
          default List<String> rule(Answer a,
              String polcy) {
            return List.of();
          }"""))
        .error("@Check parameter 'polcy' (String) matches no parameter of task method 'ask'; a @Check parameter "
            + "after the first must have the name and type of a task parameter: String q, String policy",
            "String polcy")
        .nothingGenerated();
  }

  @Test
  void checkParameterWithTheWrongType() {
    compile(CHECK_DESK.formatted("""
        @Check
          default List<String> rule(Answer a,
              int policy) {
            return List.of();
          }"""))
        .error("@Check parameter 'policy' (int) matches no parameter of task method 'ask'", "int policy")
        .nothingGenerated();
  }

  // interface-level problems

  @Test
  void genericInterface() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk<T> {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """).error("@LlmTask interface Desk must not be generic; remove <T> and use concrete types", "interface Desk")
        .nothingGenerated();
  }

  @Test
  void inheritedAbstractMethod() {
    compile("""
        interface Base {
          String hello(String s);
        }

        @LlmTask(promptVersion = "x@1")
        public interface Desk extends Base {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """).error("Desk inherits the abstract method Base.hello(), which Desk_LlmTask cannot implement: task "
        + "methods are read only from the @LlmTask interface itself; redeclare 'hello' in Desk with its @UserPrompt, "
        + "or give it a default body in Base", "public interface Desk").nothingGenerated();
  }

  @Test
  void inheritedCheckIsCheckedLikeAnOwnOne() {
    String base = """
        package com.example;

        import java.util.List;

        public interface Rules {
          @dev.llmtask.Check
          default List<String> rule(String answer,
              int q) {
            return List.of();
          }
        }
        """;
    JavaFileObject baseFile = Sources.source("com.example.Rules", base);
    JavaFileObject desk = Sources.source("com.example.Desk", HEADER + """
        @LlmTask(promptVersion = "x@1")
        public interface Desk extends Rules {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """);
    Compilation c = Compiler.javac().withProcessors(new LlmTaskProcessor()).compile(baseFile, desk);
    assertThat(c).hadErrorContaining("@Check parameter 'q' (int) matches no parameter of task method 'ask'")
        .inFile(baseFile).onLine(line(base, "int q"));
  }

  @Test
  void llmTaskOnADefaultMethod() {
    compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q);

          @LlmTask(promptVersion = "y@1")
          default String helper(String q) { return q; }
        }
        """).error("@LlmTask on default method 'helper': task methods are abstract", "@LlmTask(promptVersion = \"y")
        .nothingGenerated();
  }

  @Test
  void negativeMaxRetries() {
    compile("""
        @LlmTask(promptVersion = "x@1",
            maxRetries = -3)
        public interface Desk {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """).error("maxRetries = -3 is not allowed; write 0 or more (or leave it out to inherit)", "maxRetries =")
        .nothingGenerated();
  }

  // warning

  @Test
  void promptWithoutPlaceholdersIsAWarning() {
    Result r = compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @SystemPrompt("You are terse.")
          @UserPrompt("Say hello")
          String hello();
        }
        """);
    assertThat(r.compilation()).succeeded();
    assertThat(r.compilation()).hadWarningContaining("task 'hello' has no {{placeholder}} in its prompts, so every "
        + "call sends the same text; pass the inputs as parameters and reference them as {{name}}")
        .inFile(r.file()).onLine(line(r.src(), "String hello("));
    assertThat(r.compilation().generatedSourceFile("com.example.Desk_LlmTask")).isPresent();
  }

  @Test
  void promptWithPlaceholdersHasNoWarning() {
    Result r = compile("""
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("Say hello to {{name}}")
          String hello(String name);
        }
        """);
    assertThat(r.compilation()).succeededWithoutWarnings();
  }

  // all errors are reported, and other interfaces still generate

  @Test
  void allErrorsOfAnInterfaceAreReported() {
    Result r = compile("""
        @LlmTask(timeout = "later")
        public interface Desk {
          @UserPrompt("{{missing}}")
          String ask(String q, @TraceId int trace);

          String noPrompt(String q);
        }
        """);
    r.error("malformed timeout \"later\"", "@LlmTask(")
        .error("task method 'ask' has no promptVersion", "String ask(")
        .error("placeholder {{missing}} in @UserPrompt names no parameter of 'ask'", "@UserPrompt(")
        .error("parameter 'q' is not used in any prompt", "String ask(")
        .error("@TraceId parameter 'trace' must be a String, not int", "String ask(")
        .error("task method 'noPrompt' has no promptVersion", "String noPrompt(")
        .error("task method 'noPrompt' has no @UserPrompt", "String noPrompt(")
        .nothingGenerated();
    assertThat(r.errors()).as(r.compilation().errors().toString()).isEqualTo(7);
  }

  @Test
  void problemsAreReportedInSourceOrderThenByMessage() {
    // found in another order: the answer's components while reading, then the interface, the task, its parameters
    String src = HEADER + """
        @LlmTask(timeout = "later")
        public interface Desk {
          @UserPrompt("{{missing}}")
          Ticket ask(String q, @TraceId int trace);

          record Ticket(String title, Object owner, int[] counts) {}
        }
        """;
    Compilation c = Sources.compile(Sources.source("com.example.Desk", src)); // javac's own environment: positions
    int annotation = line(src, "@LlmTask(");
    int prompt = line(src, "@UserPrompt(");
    int method = line(src, "Ticket ask(");
    int record = line(src, "record Ticket(");
    List<String> reported = c.errors().stream()
        .map(d -> d.getLineNumber() + " " + d.getMessage(java.util.Locale.ROOT).split(";")[0]).toList();
    assertThat(reported).containsExactly(
        annotation + " malformed timeout \"later\"",
        prompt + " placeholder {{missing}} in @UserPrompt names no parameter of 'ask'",
        method + " task method 'ask' has no promptVersion",
        method + " parameter 'q' is not used in any prompt: add {{q}} to @UserPrompt or @SystemPrompt, or annotate "
            + "it @TraceId/@IdempotencyKey",
        method + " @TraceId parameter 'trace' must be a String, not int",
        record + " Ticket.owner: Object is not supported",
        record + " Ticket.counts: int[] is not supported");
  }

  @Test
  void aComponentInAnotherSourceFileIsReportedThereAndOneFromAClassFileOnTheTaskMethod() throws Exception {
    String tag = """
        package com.lib;

        public record Tag(String label,
            Object owner) {}
        """;
    String desk = HEADER + """
        @LlmTask(promptVersion = "x@1")
        public interface Desk {
          @UserPrompt("{{q}}")
          com.lib.Tag tag(String q);
        }
        """;
    String message = "Tag.owner: Object is not supported; use a record, an enum, String, a number, a boolean";
    JavaFileObject tagFile = Sources.source("com.lib.Tag", tag);
    JavaFileObject deskFile = Sources.source("com.example.Desk", desk);

    Compilation together = Sources.compile(deskFile, tagFile);
    assertThat(together).hadErrorContaining(message).inFile(tagFile).onLine(line(tag, "Object owner"));
    assertThat(together.errors()).hasSize(1);

    Compilation library = Compiler.javac().compile(tagFile);
    assertThat(library).succeeded();
    java.nio.file.Path classes = java.nio.file.Files.createTempDirectory("llmtask-tag-classes");
    for (JavaFileObject generated : library.generatedFiles()) {
      if (generated.getKind() == JavaFileObject.Kind.CLASS) {
        java.nio.file.Path target = classes.resolve("com/lib/Tag.class");
        java.nio.file.Files.createDirectories(target.getParent());
        try (java.io.InputStream in = generated.openInputStream()) {
          java.nio.file.Files.copy(in, target);
        }
      }
    }
    Compilation separately = Sources.compileWithClasspath(e -> false, List.of(classes.toFile()), deskFile);
    assertThat(separately).hadErrorContaining(message).inFile(deskFile).onLine(line(desk, " tag("));
    assertThat(separately.errors()).hasSize(1);
  }

  @Test
  void anInterfaceWithErrorsDoesNotStopAnotherFromBeingGenerated() {
    String bad = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(model = "m")
        public interface Bad {
          @UserPrompt("{{q}}")
          String ask(String q);
        }
        """;
    String good = """
        package com.example;

        import dev.llmtask.*;

        @LlmTask(promptVersion = "good@1")
        public interface Good {
          @UserPrompt("{{q}}")
          String answer(String q);
        }
        """;
    JavaFileObject badFile = Sources.source("com.example.Bad", bad);
    JavaFileObject goodFile = Sources.source("com.example.Good", good);
    // Bad first, Good second, and the other way round
    // uses the generated class: an error here would show that Good_LlmTask is missing or does not compile
    JavaFileObject useGood = Sources.source("com.example.UseGood", """
        package com.example;

        class UseGood {
          Good good = new Good_LlmTask(null);
        }
        """);
    // Bad first, Good second, and the other way round
    for (JavaFileObject[] order : new JavaFileObject[][] {{badFile, goodFile, useGood}, {goodFile, badFile, useGood}}) {
      RecordingProcessor processor = new RecordingProcessor();
      Compilation c = Compiler.javac().withProcessors(processor).compile(order);
      assertThat(c).hadErrorContaining("task method 'ask' has no promptVersion").inFile(badFile)
          .onLine(line(bad, "String ask("));
      assertThat(c.errors()).hasSize(1);
      assertThat(processor.createdSources).containsExactly("com.example.Good_LlmTask");
      assertThat(c.diagnostics()).noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
          && d.getSource() != null && !d.getSource().toUri().equals(badFile.toUri()));
    }
  }
}
