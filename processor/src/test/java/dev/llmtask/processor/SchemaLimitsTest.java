package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.processor.schema.SchemaLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI strict limits, each at the limit (compiles, and an independent count of the generated
 * schema shows it really is at the limit) and one past it (a compile error naming the dialect and the
 * path: on the record component for a limit inside one property, on the task method for a whole-schema
 * total). The sources are generated.
 */
class SchemaLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIALECT = "the OpenAI strict json_schema";

  /** A task interface {@code Big} whose task {@code extract} returns {@code rootType}, with nested {@code types}. */
  private static String desk(String rootType, List<String> types) {
    return """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "big@1")
        public interface Big {
        %s

          @UserPrompt("{{text}}")
          %s extract(String text);
        }
        """.formatted(types.stream().map(t -> "  " + t).collect(Collectors.joining("\n")), rootType);
  }

  private static String record(String name, List<String> components) {
    return "record " + name + "(" + String.join(", ", components) + ") {}";
  }

  private static Compilation compile(String src) {
    return Sources.compile(Sources.source("com.example.Big", src));
  }

  /** The schema constant, read from the loaded class (so the generated code surely compiles and loads). */
  private static JsonNode openAiSchema(Compilation c) throws Exception {
    assertThat(c).succeededWithoutWarnings();
    return JSON.readTree(Sources.staticString(c, "com.example.Big_LlmTask", "EXTRACT_OPENAI_SCHEMA"));
  }

  /** A whole-schema limit: one error, on the task method. */
  private static void fails(Compilation c, String src, String message) {
    failsOn(c, src, message, " extract(");
  }

  /** One error, on the line holding {@code marker} (the component a limit inside one property is about). */
  private static void failsOn(Compilation c, String src, String message, String marker) {
    assertThat(c).hadErrorContaining(message).inFile(c.sourceFiles().get(0))
        .onLine(Sources.line(src, marker));
    assertThat(c.errors()).hasSize(1);
  }

  // nesting depth

  /** L1 holds L2 holds … Ln holds a String: n levels of objects. */
  private static String chain(int levels) {
    List<String> types = new ArrayList<>();
    for (int i = 1; i < levels; i++) {
      types.add(record("L" + i, List.of("L" + (i + 1) + " next")));
    }
    types.add(record("L" + levels, List.of("String v")));
    return desk("L1", types);
  }

  private static int depth(JsonNode node) {
    int below = 0;
    for (JsonNode child : node) {
      below = Math.max(below, depth(child));
    }
    return below + (node.has("properties") ? 1 : 0);
  }

  @Test
  void tenLevelsOfNestedObjectsCompile() throws Exception {
    assertThat(depth(openAiSchema(compile(chain(10))))).isEqualTo(10);
  }

  @Test
  void elevenLevelsOfNestedObjectsAreAnError() {
    String src = chain(11);
    failsOn(compile(src), src, "L1" + ".next".repeat(10) + ": " + DIALECT + " allows at most 10 levels of nested "
        + "objects, and this object is level 11; flatten the answer (move nested records up) or split the task",
        "record L10(");
  }

  @Test
  void recursionDoesNotCountAsDeepNesting() {
    List<String> types = new ArrayList<>(List.of(record("Node", List.of("String name", "java.util.List<Node> children"))));
    assertThat(compile(desk("Node", types))).succeededWithoutWarnings();
  }

  // total properties

  /** Root {@code Big.Root} with 25 record components; 24 records of 200 Strings and one of {@code last}. */
  private static String properties(int last) {
    List<String> types = new ArrayList<>();
    List<String> rootComponents = new ArrayList<>();
    for (int r = 0; r < 25; r++) {
      int size = r < 24 ? 200 : last;
      types.add(record("R" + r, IntStream.range(0, size).mapToObj(i -> "String p" + i).toList()));
      rootComponents.add("R" + r + " r" + r);
    }
    types.add(record("Root", rootComponents));
    return desk("Root", types);
  }

  /** {@code own} summed over every node of the tree. */
  private static int sum(JsonNode node, ToIntFunction<JsonNode> own) {
    int total = own.applyAsInt(node);
    for (JsonNode child : node) {
      total += sum(child, own);
    }
    return total;
  }

  private static int propertyCount(JsonNode schema) {
    return sum(schema, n -> n.has("properties") ? n.get("properties").size() : 0);
  }

  @Test
  void fiveThousandPropertiesPassTheProcessor() throws Exception {
    // -proc:only: javac needs seconds to compile 5000 record components, and that is not what is tested here
    Compilation c = Compiler.javac().withProcessors(new LlmTaskProcessor()).withOptions("-proc:only")
        .compile(Sources.source("com.example.Big", properties(175)));
    assertThat(c).succeededWithoutWarnings();
    String code = Sources.generated(c, "com.example.Big_LlmTask");
    assertThat(propertyCount(JSON.readTree(Sources.constant(code, "EXTRACT_OPENAI_SCHEMA")))).isEqualTo(5000);
  }

  @Test
  void fiveThousandAndOnePropertiesAreAnError() {
    String src = properties(176);
    fails(compile(src), src, "Root: " + DIALECT + " allows at most 5000 object properties in total, and this "
        + "answer's schema has 5001; split the task into smaller answers");
  }

  // enum values

  private static String enumOf(String name, int size, int length) {
    return "enum " + name + " { " + IntStream.range(0, size)
        .mapToObj(i -> pad(name + i + "_", length)).collect(Collectors.joining(", ")) + " }";
  }

  private static String pad(String prefix, int length) {
    return length <= prefix.length() ? prefix : prefix + "x".repeat(length - prefix.length());
  }

  private static int enumValueCount(JsonNode schema) {
    return sum(schema, n -> n.has("enum") ? n.get("enum").size() : 0);
  }

  @Test
  void aThousandEnumValuesCompile() throws Exception {
    String src = desk("Root", List.of(enumOf("E", 1000, 0), record("Root", List.of("E e"))));
    assertThat(enumValueCount(openAiSchema(compile(src)))).isEqualTo(1000);
  }

  @Test
  void aThousandAndOneEnumValuesAreAnError() {
    String src = desk("Root", List.of(enumOf("E", 1001, 0), record("Root", List.of("E e"))));
    fails(compile(src), src, "Root: " + DIALECT + " allows at most 1000 enum values in total, and this answer's "
        + "schema has 1001; use a String with a @Check that looks the value up instead of the large enum");
  }

  @Test
  void enumValuesCountAcrossAllEnumsOfTheSchema() {
    String src = desk("Root", List.of(enumOf("A", 500, 0), enumOf("B", 501, 0), record("Root", List.of("A a", "B b"))));
    fails(compile(src), src, "allows at most 1000 enum values in total, and this answer's schema has 1001");
  }

  @Test
  void aLargeEnumWithFifteenThousandCharactersCompiles() {
    String src = desk("Root", List.of(enumOf("E", 300, 50), record("Root", List.of("E e"))));
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void aLargeEnumWithMoreCharactersIsAnError() {
    List<String> values = new ArrayList<>(IntStream.range(0, 299).mapToObj(i -> pad("E" + i + "_", 50)).toList());
    values.add(pad("E299_", 51));
    String src = desk("Root", List.of("enum E { " + String.join(", ", values) + " }", record("Root", List.of("E e"))));
    failsOn(compile(src), src, "Root.e: " + DIALECT + " allows at most 15000 characters across the values of an "
        + "enum with more than 250 values, and this enum has 300 values with 15001 characters; shorten the values "
        + "(@JsonProperty) or use a String with a @Check that looks the value up", "record Root(");
  }

  // characters across names

  /** Root with components c0..c9 of records B0..B9, each of 100 Strings whose names make {@code total} characters. */
  private static String names(int total) {
    int rootChars = 10 * 2; // c0 … c9
    int remaining = total - rootChars;
    List<String> types = new ArrayList<>();
    List<String> rootComponents = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      List<String> components = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int left = 1000 - (b * 100 + i);
        int length = remaining / left;
        remaining -= length;
        components.add("String " + pad("p" + b + "_" + i + "_", length));
      }
      types.add(record("B" + b, components));
      rootComponents.add("B" + b + " c" + b);
    }
    types.add(record("Root", rootComponents));
    return desk("Root", types);
  }

  private static int nameChars(JsonNode schema) {
    return sum(schema, n -> {
      int chars = 0;
      for (String key : List.of("properties", "$defs")) {
        if (n.has(key)) {
          chars += n.get(key).properties().stream().mapToInt(e -> e.getKey().length()).sum();
        }
      }
      for (JsonNode value : n.path("enum")) {
        chars += value.asText().length();
      }
      return chars;
    });
  }

  @Test
  void oneHundredTwentyThousandNameCharactersCompile() throws Exception {
    assertThat(nameChars(openAiSchema(compile(names(120_000))))).isEqualTo(120_000);
  }

  @Test
  void oneMoreNameCharacterIsAnError() {
    String src = names(120_001);
    fails(compile(src), src, "Root: " + DIALECT + " allows at most 120000 characters across property names, "
        + "definition names and enum values, and this answer's schema has 120001; shorten the names (@JsonProperty) "
        + "or split the task");
  }

  @Test
  void anEnumUsedInTwoPlacesCountsTwiceBecauseEnumsAreInlined() {
    String src = desk("Root", List.of(enumOf("E", 600, 0), record("Root", List.of("E e", "E f"))));
    fails(compile(src), src, "allows at most 1000 enum values in total, and this answer's schema has 1200");
  }

  // per-interface dialects

  @Test
  void anAnthropicOnlyInterfaceIsNotHeldToTheOpenAiLimits() throws Exception {
    String src = chain(SchemaLimits.MAX_NESTING + 1).replace("@LlmTask(promptVersion = \"big@1\")",
        "@LlmTask(promptVersion = \"big@1\", dialects = LlmTask.Dialect.ANTHROPIC)");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(depth(JSON.readTree(Sources.staticString(c, "com.example.Big_LlmTask", "EXTRACT_ANTHROPIC_SCHEMA"))))
        .isEqualTo(SchemaLimits.MAX_NESTING + 1);
  }

  @Test
  void anInterfaceNamingOpenAiAmongItsDialectsIsHeldToItsLimits() {
    String src = chain(SchemaLimits.MAX_NESTING + 1).replace("@LlmTask(promptVersion = \"big@1\")",
        "@LlmTask(promptVersion = \"big@1\", dialects = {LlmTask.Dialect.ANTHROPIC, LlmTask.Dialect.OPENAI})");
    failsOn(compile(src), src, DIALECT + " allows at most " + SchemaLimits.MAX_NESTING + " levels of nested objects",
        "record L10(");
  }

  @Test
  void dialectsOnAMethodIsAnErrorOnTheAttribute() {
    String src = desk("String", List.of()).replace("  @UserPrompt(\"{{text}}\")",
        "  @LlmTask(dialects = LlmTask.Dialect.OPENAI)\n  @UserPrompt(\"{{text}}\")");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("dialects goes on the interface's @LlmTask, not on a method: every task of an "
        + "interface is sent in the same dialects; move it to @LlmTask on Big").inFile(c.sourceFiles().get(0))
        .onLine(Sources.line(src, "@LlmTask(dialects"));
  }
}
