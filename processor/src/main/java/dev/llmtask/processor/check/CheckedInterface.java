package dev.llmtask.processor.check;

import dev.llmtask.processor.model.CheckMethodModel;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.schema.TaskSchemas;
import java.util.List;
import java.util.Map;

/**
 * A task interface that passed every check, with the {@code @Check} methods bound to the tasks they apply to.
 *
 * @param checks per task method (by method name), the checks that apply to it, in declaration order
 * @param schemas per task method (by method name), its answer's schemas
 */
public record CheckedInterface(TaskInterfaceModel model, Map<String, List<CheckMethodModel>> checks,
    Map<String, TaskSchemas> schemas) {
  public TaskSchemas schemasOf(TaskMethodModel task) {
    return schemas.get(task.methodName());
  }

  public List<CheckMethodModel> checksOf(TaskMethodModel task) {
    return checks.getOrDefault(task.methodName(), List.of());
  }
}
