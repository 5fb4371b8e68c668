package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.ModelReader;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.TaskInterfaceModel;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The rules for the task interface itself: not generic, not private, no inherited abstract method it cannot
 * implement, and {@code @LlmTask} on its methods only where it belongs.
 */
final class InterfaceChecks {
  private final Elements elements;
  private final Annotations annotations;

  InterfaceChecks(Elements elements, Annotations annotations) {
    this.elements = elements;
    this.annotations = annotations;
  }

  void check(TaskInterfaceModel model, Report report) {
    TypeElement iface = model.element();
    String name = iface.getSimpleName().toString();
    if (!iface.getTypeParameters().isEmpty()) {
      report.error("@LlmTask interface " + name + " must not be generic; remove "
          + iface.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
          + " and use concrete types in the task methods", iface);
    }
    if (iface.getModifiers().contains(Modifier.PRIVATE)) {
      report.error("@LlmTask interface " + name + " is private, so no generated class can implement it; "
          + "make it package-private or public", iface);
    }
    List<ExecutableElement> own = ElementFilter.methodsIn(iface.getEnclosedElements());
    for (ExecutableElement inherited : ElementFilter.methodsIn(elements.getAllMembers(iface))) {
      Element owner = inherited.getEnclosingElement();
      if (owner.equals(iface) || !inherited.getModifiers().contains(Modifier.ABSTRACT)
          || ((TypeElement) owner).getQualifiedName().contentEquals("java.lang.Object")) {
        continue;
      }
      boolean overridden = own.stream().anyMatch(m -> elements.overrides(m, inherited, iface));
      if (!overridden) {
        report.error(name + " inherits the abstract method " + owner.getSimpleName() + "."
            + inherited.getSimpleName() + "(), which " + ModelReader.generatedSimpleName(iface)
            + " cannot implement: task methods are read only from the @LlmTask interface itself; redeclare '"
            + inherited.getSimpleName() + "' in " + name + " with its @UserPrompt, or give it a default body in "
            + owner.getSimpleName(), iface);
      }
    }
    for (ExecutableElement m : own) {
      annotations.find(m, Names.LLM_TASK).ifPresent(a -> {
        AnnotationValue v = annotations.explicitValue(a, "dialects");
        if (v != null) {
          report.error("dialects goes on the interface's @LlmTask, not on a method: every task of an interface "
              + "is sent in the same dialects; move it to @LlmTask on " + name, m, a, v);
        }
        if (!m.getModifiers().contains(Modifier.ABSTRACT)) {
          report.error("@LlmTask on " + describeKind(m) + " method '" + m.getSimpleName() + "': task methods are "
              + "abstract; remove the body to make it a task, or remove @LlmTask", m, a);
        }
      });
    }
  }

  private static String describeKind(ExecutableElement m) {
    if (m.getModifiers().contains(Modifier.STATIC)) {
      return "static";
    }
    if (m.getModifiers().contains(Modifier.PRIVATE)) {
      return "private";
    }
    return "default";
  }
}
