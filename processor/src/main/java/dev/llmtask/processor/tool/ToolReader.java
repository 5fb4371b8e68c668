package dev.llmtask.processor.tool;

import dev.llmtask.processor.diagnostic.Problem;
import dev.llmtask.processor.diagnostic.Read;
import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.OutputModel;
import dev.llmtask.processor.model.OutputTypeReader;
import dev.llmtask.processor.model.TypeText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a tools interface's {@code @Tool} methods into a {@link ToolsModel}, returning what is wrong
 * with them as problems on the offending element. Arguments are one record, read with the same reader
 * (types, constraints, errors) as a task's answer; results are what a task may return.
 */
public final class ToolReader {
  /** The names both providers accept for a tool. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final Elements elements;
  private final Types types;
  private final Annotations annotations;
  private final Predicate<Element> fromSource;

  public ToolReader(ProcessingEnvironment env, Annotations annotations, Predicate<Element> fromSource) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.annotations = annotations;
    this.fromSource = fromSource;
  }

  /** Whether {@code type} declares a {@code @Tool} method. */
  public boolean hasTools(TypeElement type) {
    return ElementFilter.methodsIn(type.getEnclosedElements()).stream().anyMatch(m -> annotations.has(m, Names.TOOL));
  }

  /** Reads the tools of {@code type}, the type that encloses {@code @Tool} methods. */
  public Read<ToolsModel> read(TypeElement type) {
    Report report = new Report();
    List<ToolModel> tools = new ArrayList<>();
    Map<String, ExecutableElement> byName = new HashMap<>();
    boolean errorTypes = false;
    boolean isInterface = type.getKind() == ElementKind.INTERFACE;
    if (isInterface && !type.getTypeParameters().isEmpty()) {
      report.error("the tools interface " + type.getSimpleName() + " is generic; declare it without type"
          + " parameters, with the concrete types its tools take and return", type);
    }
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      Optional<AnnotationMirror> tool = annotations.find(method, Names.TOOL);
      if (tool.isEmpty()) {
        continue;
      }
      AnnotationMirror mirror = tool.get();
      String methodName = method.getSimpleName().toString();
      if (!isInterface) {
        report.error("@Tool goes on a method of an interface, not of a " + kind(type) + "; declare the tools as"
            + " abstract methods of an interface (e.g. `interface " + type.getSimpleName() + "Tools`) and give the"
            + " runtime an implementation of it", method);
        continue;
      }
      if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
        report.error("@Tool method '" + methodName + "' has a body; a tool is an abstract method, implemented by"
            + " the class you give the runtime (Toolbox.builder().add(…))", method);
        continue;
      }
      if (!method.getTypeParameters().isEmpty()) {
        report.error("@Tool method '" + methodName + "' is generic; declare it with concrete types", method);
        continue;
      }
      String explicit = annotations.string(mirror, "name");
      String name = explicit.isEmpty() ? Names.snakeCase(methodName) : explicit;
      AnnotationValue nameValue = annotations.explicitValue(mirror, "name");
      if (!NAME.matcher(name).matches()) {
        report.error("tool name \"" + name + "\" is not allowed: use 1 to 64 of a-z, A-Z, 0-9, _ and -", method,
            mirror, nameValue);
        continue;
      }
      ExecutableElement earlier = byName.putIfAbsent(name, method);
      if (earlier != null) {
        report.error("duplicate tool name \"" + name + "\": '" + earlier.getSimpleName() + "' has it too; give"
            + " one of them another @Tool(name = \"…\")", method, mirror, nameValue);
        continue;
      }
      List<? extends VariableElement> params = method.getParameters();
      TypeMirror argumentsType = null;
      OutputModel arguments = null;
      if (params.size() > 1) {
        report.error("@Tool method '" + methodName + "' has " + params.size() + " parameters; a tool takes one"
            + " record (its arguments) or none: gather them into a record, e.g. `record "
            + upperFirst(methodName) + "Request(…)`", method);
        continue;
      }
      if (params.size() == 1) {
        VariableElement p = params.get(0);
        TypeMirror t = p.asType();
        if (t.getKind() == TypeKind.ERROR) {
          errorTypes = true;
          continue;
        }
        if (!isPlainRecord(t)) {
          report.error("tool parameter '" + p.getSimpleName() + "' is " + TypeText.describe(t) + ", which is not"
              + " supported: a tool takes one record (its arguments, e.g. `record JobRequest(String accountId, int"
              + " windowDays)`) or none", p);
          continue;
        }
        OutputTypeReader.Result r = OutputTypeReader.read(t, method, types, elements, annotations, fromSource);
        report.addAll(r.problems());
        errorTypes |= r.errorTypes();
        argumentsType = t;
        arguments = r.output();
      }
      TypeMirror result = method.getReturnType();
      if (result.getKind() == TypeKind.VOID) {
        report.error("@Tool method '" + methodName + "' returns void; a tool returns what the model is told: a"
            + " record, an enum, String, a number, a boolean or a List<…> of those", method);
        continue;
      }
      OutputTypeReader.Result r = OutputTypeReader.read(result, method, types, elements, annotations, fromSource);
      errorTypes |= r.errorTypes();
      for (Problem problem : r.problems()) {
        report.add(problem.element() == method && problem.message().contains("which is not a supported task result")
            ? Problem.error("@Tool method '" + methodName + "' returns " + TypeText.describe(result) + ", which is"
                + " not a supported tool result; return a record, an enum, String, a number, a boolean or a"
                + " List<…> of those", method)
            : problem);
      }
      if (arguments == null && argumentsType != null) {
        continue;
      }
      tools.add(new ToolModel(method, name, annotations.string(mirror, "value"),
          Boolean.TRUE.equals(annotations.value(mirror, "action")), argumentsType, arguments));
    }
    return new Read<>(new ToolsModel(type, List.copyOf(tools), errorTypes), report.problems());
  }

  private static boolean isPlainRecord(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED && ((DeclaredType) t).asElement().getKind() == ElementKind.RECORD
        && ((DeclaredType) t).getTypeArguments().isEmpty();
  }

  private static String kind(TypeElement type) {
    return switch (type.getKind()) {
      case ENUM -> "enum";
      case RECORD -> "record";
      case ANNOTATION_TYPE -> "annotation type";
      default -> type.getKind().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String upperFirst(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
