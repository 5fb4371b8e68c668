package dev.llmtask.processor.schema;

import dev.llmtask.processor.diagnostic.Problem;
import dev.llmtask.processor.model.OutputModel;
import dev.llmtask.processor.model.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;

/**
 * Checks a task's OpenAI strict schema against the limits OpenAI publishes for structured outputs, so a
 * schema the API would reject with a 400 fails the build instead. Counted on the schema as sent: a
 * record under {@code $defs} counts once, an inlined record each time it appears. The Anthropic tool
 * {@code input_schema} has no published limits, so it is not checked. A limit exceeded inside one property
 * is reported on its record component when that is compiled from source here, else on the task method.
 */
public final class SchemaLimits {
  /** Objects nested in one another, the root object being level 1. */
  public static final int MAX_NESTING = 10;
  /** Object properties in the whole schema. */
  public static final int MAX_PROPERTIES = 5000;
  /** Enum values in the whole schema, across all enums. */
  public static final int MAX_ENUM_VALUES = 1000;
  /** Characters of all enum values of one enum, when it has more than {@link #LARGE_ENUM} values. */
  public static final int MAX_LARGE_ENUM_CHARS = 15_000;
  static final int LARGE_ENUM = 250;
  /** Characters across property names, definition names and enum values. */
  public static final int MAX_NAME_CHARS = 120_000;

  private static final String DIALECT = "the OpenAI strict json_schema";

  private final Map<String, Object> root;
  private final String rootPath;
  private final Map<Object, Element> sources;
  private final Element task;
  private final List<Problem> problems = new ArrayList<>();
  private int properties;
  private int enumValues;
  private int nameChars;
  private boolean nestingReported;

  private SchemaLimits(TaskSchemas schemas, String rootPath, Element task) {
    this.root = schemas.openAiTree();
    this.rootPath = rootPath;
    this.sources = schemas.openAiSources();
    this.task = task;
  }

  /**
   * Every limit the OpenAI schema of {@code schemas} exceeds, each with its path, on the component it is
   * about or on {@code task}; empty when none.
   */
  public static List<Problem> problems(TaskSchemas schemas, Element task) {
    OutputModel output = schemas.output();
    String rootPath = output.kind() == OutputModel.Kind.RECORD
        ? output.records().get(((ValueType.Ref) output.root().type()).qualifiedName()).simpleName() : "";
    SchemaLimits limits = new SchemaLimits(schemas, rootPath, task);
    limits.count(limits.root, rootPath, task);
    limits.nesting(limits.root, rootPath, task, 0, new ArrayDeque<>());
    limits.totals();
    return List.copyOf(limits.problems);
  }

  /** Adds up properties, enum values and name characters over the schema as written; {@code at} is where. */
  private void count(Object node, String path, Element at) {
    if (node instanceof List<?> list) {
      list.forEach(item -> count(item, path, at));
      return;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = e.getKey().toString();
      switch (key) {
        case "properties" -> ((Map<?, ?>) e.getValue()).forEach((name, schema) -> {
          properties++;
          nameChars += name.toString().length();
          count(schema, join(path, name.toString()), sources.getOrDefault(schema, at));
        });
        case "$defs" -> ((Map<?, ?>) e.getValue()).forEach((name, schema) -> {
          nameChars += name.toString().length();
          count(schema, name.toString(), task);
        });
        case "enum" -> enumValues(path, (List<?>) e.getValue(), at);
        case "items" -> count(e.getValue(), path + "[]", at);
        default -> count(e.getValue(), path, at);
      }
    }
  }

  private void enumValues(String path, List<?> values, Element at) {
    int chars = values.stream().mapToInt(v -> v.toString().length()).sum();
    enumValues += values.size();
    nameChars += chars;
    if (values.size() > LARGE_ENUM && chars > MAX_LARGE_ENUM_CHARS) {
      problems.add(Problem.error(path + ": " + DIALECT + " allows at most " + MAX_LARGE_ENUM_CHARS + " characters "
          + "across the values of an enum with more than " + LARGE_ENUM + " values, and this enum has "
          + values.size() + " values with " + chars + " characters; shorten the values (@JsonProperty) or use a "
          + "String with a @Check that looks the value up", at));
    }
  }

  /** Reports the first object that is nested deeper than allowed, following {@code $ref}s but not recursion. */
  private void nesting(Object node, String path, Element at, int depth, Deque<String> refs) {
    if (nestingReported) {
      return;
    }
    if (node instanceof List<?> list) {
      list.forEach(item -> nesting(item, path, at, depth, refs));
      return;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    if (map.get("$ref") instanceof String ref) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      if (!refs.contains(name)) { // a recursive record may nest without bound: the provider allows that
        refs.push(name);
        nesting(((Map<?, ?>) root.get("$defs")).get(name), path, at, depth, refs);
        refs.pop();
      }
      return;
    }
    int level = map.containsKey("properties") ? depth + 1 : depth;
    if (level > MAX_NESTING) {
      nestingReported = true;
      problems.add(Problem.error(path + ": " + DIALECT + " allows at most " + MAX_NESTING + " levels of nested "
          + "objects, and this object is level " + level + "; flatten the answer (move nested records up) or split "
          + "the task", at));
      return;
    }
    if (map.get("properties") instanceof Map<?, ?> props) {
      props.forEach((name, schema) -> nesting(schema, join(path, name.toString()),
          sources.getOrDefault(schema, at), level, refs));
    }
    if (map.containsKey("items")) {
      nesting(map.get("items"), path + "[]", at, level, refs);
    }
    if (map.containsKey("anyOf")) {
      nesting(map.get("anyOf"), path, at, level, refs);
    }
  }

  private void totals() {
    if (properties > MAX_PROPERTIES) {
      problems.add(Problem.error(where() + DIALECT + " allows at most " + MAX_PROPERTIES + " object properties in total, and "
          + "this answer's schema has " + properties + "; split the task into smaller answers", task));
    }
    if (enumValues > MAX_ENUM_VALUES) {
      problems.add(Problem.error(where() + DIALECT + " allows at most " + MAX_ENUM_VALUES + " enum values in total, and this "
          + "answer's schema has " + enumValues + "; use a String with a @Check that looks the value up instead of "
          + "the large enum", task));
    }
    if (nameChars > MAX_NAME_CHARS) {
      problems.add(Problem.error(where() + DIALECT + " allows at most " + MAX_NAME_CHARS + " characters across property names, "
          + "definition names and enum values, and this answer's schema has " + nameChars
          + "; shorten the names (@JsonProperty) or split the task", task));
    }
  }

  /** The prefix of a whole-schema problem: the root record's name, or "the answer". */
  private String where() {
    return (rootPath.isEmpty() ? "the answer" : rootPath) + ": ";
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
