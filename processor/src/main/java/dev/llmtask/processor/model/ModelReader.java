package dev.llmtask.processor.model;

import dev.llmtask.processor.diagnostic.Read;
import dev.llmtask.processor.diagnostic.Report;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
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
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Reads a task interface's elements into a {@link TaskInterfaceModel}, returning what it cannot read (an
 * unsupported return type, an unreadable prompt) as problems with it; it prints nothing.
 */
public final class ModelReader {
  private final Elements elements;
  private final Types types;
  private final Filer filer;
  private final Annotations annotations;
  private final Predicate<Element> fromSource;

  /** {@code fromSource} tells whether an element is compiled from source in this compilation. */
  public ModelReader(ProcessingEnvironment env, Predicate<Element> fromSource) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.filer = env.getFiler();
    this.annotations = new Annotations(elements);
    this.fromSource = fromSource;
  }

  public Annotations annotations() {
    return annotations;
  }

  public Read<TaskInterfaceModel> read(TypeElement iface) {
    Report report = new Report();
    Optional<AnnotationMirror> ifaceTask = annotations.find(iface, Names.LLM_TASK);
    List<TaskMethodModel> tasks = new ArrayList<>();
    List<CheckMethodModel> checks = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(iface.getEnclosedElements())) {
      boolean isCheck = annotations.has(method, Names.CHECK);
      if (isCheck) {
        checks.add(new CheckMethodModel(method, method.getSimpleName().toString()));
        continue;
      }
      if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
        continue; // default, static and private methods are the user's own code
      }
      tasks.add(readTask(method, ifaceTask, report));
    }
    // @Check default methods inherited from superinterfaces apply too: the generated class inherits them.
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(iface))) {
      if (!method.getEnclosingElement().equals(iface) && annotations.has(method, Names.CHECK)) {
        checks.add(new CheckMethodModel(method, method.getSimpleName().toString()));
      }
    }
    String pkg = elements.getPackageOf(iface).getQualifiedName().toString();
    return new Read<>(new TaskInterfaceModel(iface, pkg, generatedSimpleName(iface), List.copyOf(tasks),
        List.copyOf(checks), dialects(ifaceTask)), report.problems());
  }

  /** The dialect names of the interface's {@code dialects} attribute, or all when it names none. */
  private Set<String> dialects(Optional<AnnotationMirror> ifaceTask) {
    AnnotationValue v = ifaceTask.map(m -> annotations.explicitValue(m, "dialects")).orElse(null);
    if (v == null || !(v.getValue() instanceof List<?> values) || values.isEmpty()) {
      return TaskInterfaceModel.ALL_DIALECTS;
    }
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Object value : values) {
      if (((AnnotationValue) value).getValue() instanceof VariableElement constant) {
        names.add(constant.getSimpleName().toString());
      }
    }
    return Set.copyOf(names);
  }

  /** {@code Outer.Desk} → {@code Outer_Desk_LlmTask}. */
  public static String generatedSimpleName(TypeElement type) {
    Deque<String> names = new ArrayDeque<>();
    Element e = type;
    while (e instanceof TypeElement t) {
      names.addFirst(t.getSimpleName().toString());
      e = t.getEnclosingElement();
    }
    return String.join("_", names) + "_LlmTask";
  }

  private TaskMethodModel readTask(ExecutableElement method, Optional<AnnotationMirror> ifaceTask, Report report) {
    Optional<AnnotationMirror> methodTask = annotations.find(method, Names.LLM_TASK);
    Element iface = method.getEnclosingElement();
    String methodName = method.getSimpleName().toString();

    Attr<String> explicitName = methodTask.map(m -> stringAttr(method, m, "name")).orElse(Attr.absent());
    String taskName = explicitName.present() ? explicitName.value() : Names.snakeCase(methodName);

    List<ParameterModel> params = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      params.add(new ParameterModel(
          p,
          p.getSimpleName().toString(),
          p.asType(),
          annotations.find(p, Names.TRACE_ID).orElse(null),
          annotations.find(p, Names.IDEMPOTENCY_KEY).orElse(null),
          annotations.find(p, Names.TENANT).orElse(null),
          isDeclared(p.asType(), Names.CALL_OPTIONS),
          isDeclared(p.asType(), "java.lang.String")));
    }

    CallShape shape = CallShape.VALUE;
    TypeMirror valueType = method.getReturnType();
    String returnProblem = null;
    boolean errorTypes = valueType.getKind() == TypeKind.ERROR;
    if (isDeclared(valueType, Names.LLM_STREAM)) {
      TypeMirror arg = typeArgument(valueType);
      if (arg == null) {
        returnProblem = "a raw or wildcard LlmStream; write LlmStream<YourResult>";
      } else if (isDeclared(arg, Names.LLM_RESULT)) {
        returnProblem = "LlmStream<LlmResult<…>>; write LlmStream<YourResult>: its result() gives the value "
            + "with its CallRecord";
      } else {
        shape = CallShape.STREAM;
        valueType = arg;
      }
    } else if (isDeclared(valueType, Names.COMPLETABLE_FUTURE)) {
      TypeMirror arg = typeArgument(valueType);
      if (arg == null) {
        returnProblem = "a raw or wildcard CompletableFuture; write CompletableFuture<YourResult> or "
            + "CompletableFuture<LlmResult<YourResult>>";
      } else {
        shape = CallShape.FUTURE;
        valueType = arg;
      }
    }
    if (returnProblem == null && shape != CallShape.STREAM && isDeclared(valueType, Names.LLM_RESULT)) {
      TypeMirror arg = typeArgument(valueType);
      if (arg == null) {
        returnProblem = "a raw or wildcard LlmResult; write LlmResult<YourResult>";
      } else {
        shape = shape == CallShape.FUTURE ? CallShape.FUTURE_RESULT : CallShape.RESULT;
        valueType = arg;
      }
    }
    OutputModel output = null;
    TypeMirror resultType = null;
    if (returnProblem != null) {
      report.error("task method '" + methodName + "' returns " + returnProblem, method);
    } else if (!errorTypes) {
      OutputTypeReader.Result r = OutputTypeReader.read(valueType, method, types, elements, annotations, fromSource);
      output = r.output();
      resultType = r.resultType();
      report.addAll(r.problems());
      errorTypes = r.errorTypes();
    }
    for (ParameterModel p : params) {
      errorTypes |= p.type().getKind() == TypeKind.ERROR;
    }

    return new TaskMethodModel(
        method,
        methodName,
        taskName,
        explicitName,
        inherited(method, methodTask, iface, ifaceTask, "promptVersion"),
        inherited(method, methodTask, iface, ifaceTask, "model"),
        inherited(method, methodTask, iface, ifaceTask, "timeout"),
        inheritedInt(method, methodTask, iface, ifaceTask, "maxRetries"),
        inheritedInt(method, methodTask, iface, ifaceTask, "repairs"),
        readPrompt(method, Names.SYSTEM_PROMPT, report),
        readPrompt(method, Names.USER_PROMPT, report),
        List.copyOf(params),
        resultType == null ? null : shape,
        resultType,
        output,
        errorTypes);
  }

  private Attr<String> stringAttr(Element owner, AnnotationMirror mirror, String attribute) {
    AnnotationValue v = annotations.explicitValue(mirror, attribute);
    if (v == null || !(v.getValue() instanceof String s) || s.isEmpty()) {
      return Attr.absent();
    }
    return new Attr<>(s, owner, mirror, v);
  }

  private Attr<Integer> intAttr(Element owner, AnnotationMirror mirror, String attribute) {
    AnnotationValue v = annotations.explicitValue(mirror, attribute);
    if (v == null || !(v.getValue() instanceof Integer i) || i == -1) {
      return Attr.absent();
    }
    return new Attr<>(i, owner, mirror, v);
  }

  private Attr<String> inherited(Element method, Optional<AnnotationMirror> methodTask, Element iface,
      Optional<AnnotationMirror> ifaceTask, String attribute) {
    Attr<String> own = methodTask.map(m -> stringAttr(method, m, attribute)).orElse(Attr.absent());
    return own.present() ? own : ifaceTask.map(m -> stringAttr(iface, m, attribute)).orElse(Attr.absent());
  }

  private Attr<Integer> inheritedInt(Element method, Optional<AnnotationMirror> methodTask, Element iface,
      Optional<AnnotationMirror> ifaceTask, String attribute) {
    Attr<Integer> own = methodTask.map(m -> intAttr(method, m, attribute)).orElse(Attr.absent());
    return own.present() ? own : ifaceTask.map(m -> intAttr(iface, m, attribute)).orElse(Attr.absent());
  }

  private PromptModel readPrompt(ExecutableElement method, String annotation, Report report) {
    Optional<AnnotationMirror> found = annotations.find(method, annotation);
    if (found.isEmpty()) {
      return null;
    }
    AnnotationMirror mirror = found.get();
    String simple = "@" + Annotations.simpleName(mirror);
    String value = annotations.string(mirror, "value");
    String resource = annotations.string(mirror, "resource").trim();
    AnnotationValue resourceValue = annotations.explicitValue(mirror, "resource");
    if (!value.isEmpty() && !resource.isEmpty()) {
      report.error(simple + " has both a value and a resource; keep one: " + simple
          + "(\"…\") or " + simple + "(resource = \"" + resource + "\")", method, mirror, resourceValue);
      return new PromptModel(mirror, null); // the text could not be read
    }
    if (!resource.isEmpty()) {
      String text = readResource(resource);
      if (text == null) {
        report.error(simple + " resource \"" + resource
            + "\" was not found on the class path or source path; put the file at src/main/resources/"
            + stripSlash(resource) + " or write the text inline as " + simple + "(\"…\")", method, mirror,
            resourceValue);
        return new PromptModel(mirror, null); // the text could not be read
      }
      return new PromptModel(mirror, PromptTemplate.parse(text));
    }
    if (value.isEmpty()) {
      report.error(simple + " is empty; write " + simple + "(\"… {{parameter}} …\") or "
          + simple + "(resource = \"prompts/….txt\")", method, mirror);
      return new PromptModel(mirror, null); // the text could not be read
    }
    return new PromptModel(mirror, PromptTemplate.parse(value));
  }

  private String readResource(String resource) {
    String name = stripSlash(resource);
    for (JavaFileManager.Location location : List.of(StandardLocation.CLASS_PATH, StandardLocation.SOURCE_PATH)) {
      try {
        FileObject file = filer.getResource(location, "", name);
        return file.getCharContent(true).toString();
      } catch (IOException | IllegalArgumentException | IllegalStateException e) {
        // try the next location
      }
    }
    return null;
  }

  private static String stripSlash(String resource) {
    return resource.startsWith("/") ? resource.substring(1) : resource;
  }

  private static boolean isDeclared(TypeMirror t, String qualifiedName) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals(qualifiedName);
  }

  /** The single type argument, or null when raw or a wildcard. */
  private static TypeMirror typeArgument(TypeMirror t) {
    List<? extends TypeMirror> args = ((DeclaredType) t).getTypeArguments();
    if (args.size() != 1 || args.get(0).getKind() == TypeKind.WILDCARD) {
      return null;
    }
    return args.get(0);
  }
}
