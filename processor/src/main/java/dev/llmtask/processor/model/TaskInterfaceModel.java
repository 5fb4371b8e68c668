package dev.llmtask.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A task interface and everything read from it.
 *
 * @param packageName the package, empty for the unnamed package
 * @param generatedSimpleName {@code Outer_Desk_LlmTask} for {@code Outer.Desk}
 */
public record TaskInterfaceModel(
    TypeElement element,
    String packageName,
    String generatedSimpleName,
    List<TaskMethodModel> tasks,
    List<CheckMethodModel> checks) {

  public String qualifiedName() {
    return element.getQualifiedName().toString();
  }

  public boolean hasErrorTypes() {
    return tasks.stream().anyMatch(TaskMethodModel::hasErrorTypes);
  }
}
