package dev.llmtask.processor.tool;

import dev.llmtask.processor.diagnostic.Problem;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.CallShape;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * The tools a task may use ({@code @LlmTask(tools = …)} on the method, else on its interface) and the
 * checks on them: each names an interface with {@code @Tool} methods, no two tools share a name, a
 * task that may call an action has an {@code @IdempotencyKey} parameter, and a streamed task uses none.
 */
public final class TaskTools {
  private final Annotations annotations;
  private final ToolReader reader;

  public TaskTools(Annotations annotations, ToolReader reader) {
    this.annotations = annotations;
    this.reader = reader;
  }

  /**
   * One entry of a task's {@code tools}.
   *
   * @param type the named type
   * @param mirror the {@code @LlmTask} that names it
   * @param value its {@code tools} attribute
   */
  public record Declared(TypeElement type, AnnotationMirror mirror, AnnotationValue value) {}

  /** The types {@code task} names as its tools, in order; empty when none. */
  public static List<Declared> declared(Annotations annotations, ExecutableElement task) {
    List<Declared> own = declaredOn(annotations, task);
    return !own.isEmpty() || annotations.find(task, Names.LLM_TASK).map(m -> annotations.explicitValue(m, "tools"))
        .isPresent() ? own : declaredOn(annotations, task.getEnclosingElement());
  }

  private static List<Declared> declaredOn(Annotations annotations, Element e) {
    Optional<AnnotationMirror> mirror = annotations.find(e, Names.LLM_TASK);
    AnnotationValue v = mirror.map(m -> annotations.explicitValue(m, "tools")).orElse(null);
    if (v == null || !(v.getValue() instanceof List<?> values)) {
      return List.of();
    }
    List<Declared> out = new ArrayList<>();
    for (Object value : values) {
      if (((AnnotationValue) value).getValue() instanceof TypeMirror t && t instanceof DeclaredType d) {
        out.add(new Declared((TypeElement) d.asElement(), mirror.get(), v));
      }
    }
    return out;
  }

  /** The problems of every task's tools. */
  public List<Problem> check(TaskInterfaceModel model) {
    List<Problem> problems = new ArrayList<>();
    for (TaskMethodModel task : model.tasks()) {
      check(task, problems);
    }
    return problems;
  }

  private void check(TaskMethodModel task, List<Problem> problems) {
    ExecutableElement method = task.element();
    Map<String, String> names = new HashMap<>();
    for (Declared d : declared(annotations, method)) {
      String simple = d.type().getSimpleName().toString();
      if (d.type().getKind() != ElementKind.INTERFACE) {
        problems.add(Problem.error("tools = " + simple + ".class names a " + d.type().getKind().name()
            .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "; tools are the @Tool methods of an interface:"
            + " declare `interface " + simple + " { @Tool … }` and implement it", method, d.mirror(), d.value()));
        continue;
      }
      if (!reader.hasTools(d.type())) {
        problems.add(Problem.error("tools = " + simple + ".class names an interface without @Tool methods; mark the"
            + " methods the model may call with @Tool", method, d.mirror(), d.value()));
        continue;
      }
      if (task.shape() == CallShape.STREAM) {
        problems.add(Problem.error("task method '" + task.methodName() + "' streams its answer, and a streamed"
            + " task cannot use tools; return the value (or a CompletableFuture of it) instead", method, d.mirror(),
            d.value()));
        continue;
      }
      ToolsModel tools = reader.read(d.type()).value();
      for (ToolModel tool : tools.tools()) {
        String earlier = names.putIfAbsent(tool.name(), simple);
        if (earlier != null) {
          problems.add(Problem.error("task method '" + task.methodName() + "' may use two tools named \""
              + tool.name() + "\" (in " + earlier + " and " + simple + "); rename one with @Tool(name = \"…\")",
              method, d.mirror(), d.value()));
        }
        if (tool.action() && task.parameters().stream().noneMatch(p -> p.idempotencyKey() != null)) {
          problems.add(Problem.error("task method '" + task.methodName() + "' may call the action \"" + tool.name()
              + "\" (" + simple + "#" + tool.method().getSimpleName() + "), but has no @IdempotencyKey parameter;"
              + " add `@IdempotencyKey String key`, so that the action runs once per key however often the call"
              + " is retried", method));
        }
      }
    }
  }
}
