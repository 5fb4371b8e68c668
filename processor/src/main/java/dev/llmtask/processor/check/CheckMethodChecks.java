package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.CheckBinder;
import dev.llmtask.processor.model.CheckMethodModel;
import dev.llmtask.processor.model.ParameterModel;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TypeText;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The {@code @Check} methods' rules: a default method returning {@code List<String>}, taking a task's result
 * first and then only parameters of the tasks it applies to, by name and type.
 */
final class CheckMethodChecks {
  private final Types types;
  private final CheckBinder binder;

  CheckMethodChecks(Types types, CheckBinder binder) {
    this.types = types;
    this.binder = binder;
  }

  void check(TaskInterfaceModel model, Report report) {
    for (CheckMethodModel c : model.checks()) {
      check(model, c, report);
    }
  }

  private void check(TaskInterfaceModel model, CheckMethodModel c, Report report) {
    ExecutableElement m = c.element();
    String name = c.name();
    if (!m.getModifiers().contains(Modifier.DEFAULT)) {
      report.error("@Check method '" + name + "' must be a default method"
          + (m.getModifiers().contains(Modifier.STATIC) ? ", not static" : "")
          + "; write `default List<String> " + name + "(YourResult value, …) { … }`", m);
    }
    if (!isListOfString(m.getReturnType())) {
      report.error("@Check method '" + name + "' must return List<String> (the violations, empty when the "
          + "answer passes), not " + TypeText.describe(m.getReturnType()), m);
    }
    List<? extends VariableElement> params = m.getParameters();
    List<String> resultTypes = model.tasks().stream().filter(t -> t.resultType() != null)
        .map(t -> TypeText.describe(t.resultType())).distinct().toList();
    if (params.isEmpty()) {
      report.error("@Check method '" + name + "' must take the task's result as its first parameter, e.g. "
          + name + "(" + (resultTypes.isEmpty() ? "YourResult" : resultTypes.get(0)) + " value)", m);
      return;
    }
    List<TaskMethodModel> targets = binder.targets(model, c);
    if (targets.isEmpty()) {
      if (model.tasks().stream().allMatch(t -> t.resultType() != null)) {
        report.error("@Check method '" + name + "' takes " + TypeText.describe(params.get(0).asType())
            + " first, which no task method of this interface returns; the first parameter must be a task's "
            + "result type: " + (resultTypes.isEmpty() ? "(no task methods)" : String.join(", ", resultTypes)),
            params.get(0));
      }
      return; // otherwise a task's return type is already reported
    }
    for (VariableElement p : params.subList(1, params.size())) {
      String pname = p.getSimpleName().toString();
      for (TaskMethodModel t : targets) {
        ParameterModel match = t.parameters().stream().filter(tp -> tp.name().equals(pname)).findFirst().orElse(null);
        if (match == null || !types.isSameType(match.type(), p.asType())) {
          String available = t.parameters().stream()
              .map(tp -> TypeText.describe(tp.type()) + " " + tp.name()).collect(Collectors.joining(", "));
          report.error("@Check parameter '" + pname + "' (" + TypeText.describe(p.asType())
              + ") matches no parameter of task method '" + t.methodName() + "'; a @Check parameter after the "
              + "first must have the name and type of a task parameter: " + (available.isEmpty() ? "(none)" : available),
              p);
        }
      }
    }
  }

  private static boolean isListOfString(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    DeclaredType d = (DeclaredType) t;
    if (!((TypeElement) d.asElement()).getQualifiedName().contentEquals("java.util.List")
        || d.getTypeArguments().size() != 1) {
      return false;
    }
    return TypeText.is(d.getTypeArguments().get(0), "java.lang.String");
  }
}
