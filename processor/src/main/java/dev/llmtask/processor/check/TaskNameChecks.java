package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Task names: valid, unique within the interface and within the compilation (they key telemetry and
 * per-task configuration), and one task per method name (no overloads).
 */
final class TaskNameChecks {
  private static final Pattern TASK_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /** Task names of every interface checked so far in this compilation, with the method that declared each. */
  private final Map<String, String> compilationTaskNames = new HashMap<>();

  void check(TaskInterfaceModel model, Report report) {
    Map<String, Integer> byMethodName = new HashMap<>();
    for (TaskMethodModel t : model.tasks()) {
      byMethodName.merge(t.methodName(), 1, Integer::sum);
    }
    Map<String, TaskMethodModel> byTaskName = new LinkedHashMap<>();
    for (TaskMethodModel t : model.tasks()) {
      boolean overloaded = byMethodName.get(t.methodName()) > 1;
      if (overloaded) {
        report.error("task method '" + t.methodName() + "' is overloaded; give each task method its own name "
            + "(each method is one task)", t.element());
      }
      if (t.explicitName().present() && !TASK_NAME.matcher(t.taskName()).matches()) {
        report.error("task name \"" + t.taskName() + "\" is not valid; use 1 to 64 characters of "
            + "a-z, A-Z, 0-9, _ and -, e.g. \"" + Names.snakeCase(t.methodName()) + "\"",
            t.element(), t.explicitName().mirror(), t.explicitName().annotationValue());
      }
      TaskMethodModel first = byTaskName.putIfAbsent(t.taskName(), t);
      if (first != null && !(overloaded && first.methodName().equals(t.methodName()))) {
        nameError(t, "duplicate task name '" + t.taskName() + "': method '" + first.methodName()
            + "' already uses it; set a unique @LlmTask(name = \"…\") on one of them", report);
      } else if (first == null) {
        String where = model.qualifiedName() + "#" + t.methodName();
        String earlier = compilationTaskNames.putIfAbsent(t.taskName(), where);
        if (earlier != null) {
          nameError(t, "duplicate task name '" + t.taskName() + "': " + earlier + " already uses it in this "
              + "compilation, and task names key telemetry and per-task configuration; set a unique "
              + "@LlmTask(name = \"…\") on one of them", report);
        }
      }
    }
  }

  /** Reports a task-name problem on the explicit {@code name} attribute when there is one. */
  private static void nameError(TaskMethodModel t, String message, Report report) {
    if (t.explicitName().present()) {
      report.error(message, t.element(), t.explicitName().mirror(), t.explicitName().annotationValue());
    } else {
      report.error(message, t.element());
    }
  }
}
