package dev.llmtask.processor.model;

import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/**
 * A task interface and everything read from it.
 *
 * @param packageName the package, empty for the unnamed package
 * @param generatedSimpleName {@code Outer_Desk_LlmTask} for {@code Outer.Desk}
 * @param dialects the names of the {@code LlmTask.Dialect}s the interface targets ({@code OPENAI},
 *     {@code ANTHROPIC}): its {@code dialects} attribute, or all when it has none
 */
public record TaskInterfaceModel(
    TypeElement element,
    String packageName,
    String generatedSimpleName,
    List<TaskMethodModel> tasks,
    List<CheckMethodModel> checks,
    Set<String> dialects) {

  /** Every dialect, for an interface that names none. */
  public static final Set<String> ALL_DIALECTS = Set.of("OPENAI", "ANTHROPIC");

  public String qualifiedName() {
    return element.getQualifiedName().toString();
  }

  public boolean hasErrorTypes() {
    return tasks.stream().anyMatch(TaskMethodModel::hasErrorTypes);
  }
}
