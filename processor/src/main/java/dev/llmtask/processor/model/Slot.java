package dev.llmtask.processor.model;

/**
 * One place a value sits in the answer (a record component, a list element, the root value).
 *
 * @param type its JSON shape
 * @param nullable {@code Optional<…>} or {@code @Nullable}
 * @param constraints Bean Validation constraints that the schema can express
 * @param description {@code @JsonPropertyDescription} text, or null
 */
public record Slot(ValueType type, boolean nullable, Constraints constraints, String description) {
  public static Slot of(ValueType type) {
    return new Slot(type, false, Constraints.NONE, null);
  }
}
