package dev.llmtask.processor.model;

import java.util.List;

/** The JSON shape of one value of a task's answer, read from Java types at compile time. */
public sealed interface ValueType {

  /** JSON Schema primitive kinds. */
  enum ScalarKind {
    STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean");

    private final String json;

    ScalarKind(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }
  }

  /** A string, integer, number or boolean. */
  record Scalar(ScalarKind kind) implements ValueType {}

  /** A Java enum: a string restricted to its wire values. */
  record Enum(String qualifiedName, List<String> values) implements ValueType {}

  /** A record, defined once in {@link OutputModel#records()}. */
  record Ref(String qualifiedName) implements ValueType {}

  /** A {@code List<…>}. */
  record Array(Slot items) implements ValueType {}
}
