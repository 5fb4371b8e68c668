package dev.llmtask.processor.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/** Binds each {@code @Check} method to the tasks it applies to: those whose result type is its first parameter's. */
public final class CheckBinder {
  private final Types types;

  public CheckBinder(Types types) {
    this.types = types;
  }

  /** The tasks of {@code model} whose result type is the (boxed) type of {@code check}'s first parameter. */
  public List<TaskMethodModel> targets(TaskInterfaceModel model, CheckMethodModel check) {
    List<? extends VariableElement> params = check.element().getParameters();
    if (params.isEmpty()) {
      return List.of();
    }
    TypeMirror first = boxed(params.get(0).asType());
    return model.tasks().stream()
        .filter(t -> t.resultType() != null && types.isSameType(t.resultType(), first)).toList();
  }

  /** Per task method name, the checks that apply to it, in declaration order. */
  public Map<String, List<CheckMethodModel>> bind(TaskInterfaceModel model) {
    Map<String, List<CheckMethodModel>> bindings = new LinkedHashMap<>();
    for (CheckMethodModel c : model.checks()) {
      for (TaskMethodModel t : targets(model, c)) {
        bindings.computeIfAbsent(t.methodName(), k -> new ArrayList<>()).add(c);
      }
    }
    return bindings;
  }

  private TypeMirror boxed(TypeMirror t) {
    return t.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) t).asType() : t;
  }
}
