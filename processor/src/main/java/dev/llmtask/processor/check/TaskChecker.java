package dev.llmtask.processor.check;

import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.Attr;
import dev.llmtask.processor.model.CheckMethodModel;
import dev.llmtask.processor.model.Durations;
import dev.llmtask.processor.model.ModelReader;
import dev.llmtask.processor.model.Names;
import dev.llmtask.processor.model.ParameterModel;
import dev.llmtask.processor.model.PromptModel;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TypeText;
import dev.llmtask.processor.schema.SchemaLimits;
import dev.llmtask.processor.schema.TaskSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
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

/**
 * Checks a {@link TaskInterfaceModel} and reports every problem as a compile error on the offending
 * element, with a message that says what to write instead. All problems are reported, not just the first.
 */
public final class TaskChecker {
  private static final Pattern TASK_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final Elements elements;
  private final Types types;
  private final Annotations annotations;
  private final Diagnostics diagnostics;
  private final PromptValues promptValues;
  private final CacheChecks cacheChecks;
  private final PromptCachePrefixCheck promptCachePrefix;
  /** Inherited attribute values already reported, so an interface-level mistake is reported once. */
  private final Set<Object> reportedValues = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Task names of every interface checked so far in this compilation, with the method that declared each. */
  private final Map<String, String> compilationTaskNames = new HashMap<>();
  /** The schemas of the interface being checked, by task method name, built once for the limits and the writer. */
  private Map<String, TaskSchemas> schemas;
  /** The dialects the interface being checked targets. */
  private Set<String> dialects;

  public TaskChecker(ProcessingEnvironment env, Diagnostics diagnostics) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.annotations = new Annotations(elements);
    this.diagnostics = diagnostics;
    this.promptValues = new PromptValues(types, elements);
    this.cacheChecks = new CacheChecks(annotations, diagnostics);
    this.promptCachePrefix = new PromptCachePrefixCheck(diagnostics);
  }

  /** Checks {@code model}; returns the bound interface when it has no errors, otherwise null. */
  public CheckedInterface check(TaskInterfaceModel model) {
    int before = diagnostics.errorCount();
    reportedValues.clear();
    schemas = new HashMap<>();
    dialects = model.dialects();
    checkInterface(model);
    checkNamesAndOverloads(model);
    for (TaskMethodModel task : model.tasks()) {
      checkTask(task);
      cacheChecks.check(task);
      promptCachePrefix.check(task);
    }
    Map<String, List<CheckMethodModel>> bindings = checkChecks(model);
    return diagnostics.errorCount() == before ? new CheckedInterface(model, bindings, schemas) : null;
  }

  private void checkInterface(TaskInterfaceModel model) {
    TypeElement iface = model.element();
    String name = iface.getSimpleName().toString();
    if (!iface.getTypeParameters().isEmpty()) {
      diagnostics.error("@LlmTask interface " + name + " must not be generic; remove "
          + iface.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
          + " and use concrete types in the task methods", iface);
    }
    if (iface.getModifiers().contains(Modifier.PRIVATE)) {
      diagnostics.error("@LlmTask interface " + name + " is private, so no generated class can implement it; "
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
        diagnostics.error(name + " inherits the abstract method " + owner.getSimpleName() + "."
            + inherited.getSimpleName() + "(), which " + ModelReader.generatedSimpleName(iface)
            + " cannot implement: task methods are read only from the @LlmTask interface itself; redeclare '"
            + inherited.getSimpleName() + "' in " + name + " with its @UserPrompt, or give it a default body in "
            + owner.getSimpleName(), iface);
      }
    }
    for (ExecutableElement m : own) {
      annotations.find(m, Names.LLM_TASK).ifPresent(a -> {
        javax.lang.model.element.AnnotationValue v = annotations.explicitValue(a, "dialects");
        if (v != null) {
          diagnostics.error("dialects goes on the interface's @LlmTask, not on a method: every task of an interface "
              + "is sent in the same dialects; move it to @LlmTask on " + name, m, a, v);
        }
      });
      if (!m.getModifiers().contains(Modifier.ABSTRACT)) {
        annotations.find(m, Names.LLM_TASK).ifPresent(a -> diagnostics.error("@LlmTask on " + describeKind(m)
            + " method '" + m.getSimpleName() + "': task methods are abstract; remove the body to make it a task, "
            + "or remove @LlmTask", m, a));
      }
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

  private void checkNamesAndOverloads(TaskInterfaceModel model) {
    Map<String, Integer> byMethodName = new HashMap<>();
    for (TaskMethodModel t : model.tasks()) {
      byMethodName.merge(t.methodName(), 1, Integer::sum);
    }
    Map<String, TaskMethodModel> byTaskName = new LinkedHashMap<>();
    for (TaskMethodModel t : model.tasks()) {
      boolean overloaded = byMethodName.get(t.methodName()) > 1;
      if (overloaded) {
        diagnostics.error("task method '" + t.methodName() + "' is overloaded; give each task method its own name "
            + "(each method is one task)", t.element());
      }
      if (t.explicitName().present() && !TASK_NAME.matcher(t.taskName()).matches()) {
        diagnostics.error("task name \"" + t.taskName() + "\" is not valid; use 1 to 64 characters of "
            + "a-z, A-Z, 0-9, _ and -, e.g. \"" + Names.snakeCase(t.methodName()) + "\"",
            t.element(), t.explicitName().mirror(), t.explicitName().annotationValue());
      }
      TaskMethodModel first = byTaskName.putIfAbsent(t.taskName(), t);
      if (first != null && !(overloaded && first.methodName().equals(t.methodName()))) {
        nameError(t, "duplicate task name '" + t.taskName() + "': method '" + first.methodName()
            + "' already uses it; set a unique @LlmTask(name = \"…\") on one of them");
      } else if (first == null) {
        String where = model.qualifiedName() + "#" + t.methodName();
        String earlier = compilationTaskNames.putIfAbsent(t.taskName(), where);
        if (earlier != null) {
          nameError(t, "duplicate task name '" + t.taskName() + "': " + earlier + " already uses it in this "
              + "compilation, and task names key telemetry and per-task configuration; set a unique "
              + "@LlmTask(name = \"…\") on one of them");
        }
      }
    }
  }

  /** Reports a task-name problem on the explicit {@code name} attribute when there is one. */
  private void nameError(TaskMethodModel t, String message) {
    if (t.explicitName().present()) {
      diagnostics.error(message, t.element(), t.explicitName().mirror(), t.explicitName().annotationValue());
    } else {
      diagnostics.error(message, t.element());
    }
  }

  private void checkTask(TaskMethodModel t) {
    ExecutableElement m = t.element();
    String method = t.methodName();
    if (!m.getTypeParameters().isEmpty()) {
      diagnostics.error("task method '" + method + "' must not be generic; remove "
          + m.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
          + " and declare a concrete result type", m);
    }

    // contract attributes
    if (!t.promptVersion().present()) {
      diagnostics.error("task method '" + method + "' has no promptVersion; add @LlmTask(promptVersion = \""
          + t.taskName() + "@1\") to the method or to its interface", m);
    }
    Attr<String> timeout = t.timeout();
    if (timeout.present() && Durations.parseMillis(timeout.value()).isEmpty()
        && reportedValues.add(timeout.annotationValue())) {
      diagnostics.error("malformed timeout \"" + timeout.value() + "\"; write a positive whole number followed by "
          + "ms, s, m or h, e.g. timeout = \"20s\" or timeout = \"1500ms\"",
          timeout.element(), timeout.mirror(), timeout.annotationValue());
    }
    checkCount(t.maxRetries(), "maxRetries");
    checkCount(t.repairs(), "repairs");

    // return type
    if (t.returnProblem() != null) {
      diagnostics.error("task method '" + method + "' returns " + t.returnProblem(), m);
    }
    for (String problem : t.typeProblems()) {
      diagnostics.error(problem, m);
    }
    if (t.output() != null && t.typeProblems().isEmpty()) {
      TaskSchemas built = TaskSchemas.of(t.output());
      schemas.put(t.methodName(), built);
      if (dialects.contains("OPENAI")) { // the Anthropic input_schema has no published limits
        for (String problem : SchemaLimits.problems(built)) {
          diagnostics.error(problem, m);
        }
      }
    }

    // special parameters
    ParameterModel traceId = null;
    ParameterModel idempotencyKey = null;
    ParameterModel options = null;
    for (ParameterModel p : t.parameters()) {
      if (p.traceId() != null && p.idempotencyKey() != null) {
        diagnostics.error("parameter '" + p.name() + "' cannot be both @TraceId and @IdempotencyKey; "
            + "declare two String parameters", p.element(), p.idempotencyKey());
        continue;
      }
      if (p.traceId() != null) {
        special(p, p.traceId(), "@TraceId", traceId, method);
        traceId = traceId == null ? p : traceId;
      } else if (p.idempotencyKey() != null) {
        special(p, p.idempotencyKey(), "@IdempotencyKey", idempotencyKey, method);
        idempotencyKey = idempotencyKey == null ? p : idempotencyKey;
      } else if (p.callOptions()) {
        if (options != null) {
          diagnostics.error("task method '" + method + "' has two CallOptions parameters ('" + options.name()
              + "' and '" + p.name() + "'); keep one", p.element());
        }
        options = options == null ? p : options;
      }
    }

    for (ParameterModel p : t.parameters()) {
      if (p.plain()) {
        promptValues.check(p.type()).ifPresent(u -> diagnostics.error(unrenderable(p, u), p.element()));
      }
    }

    // prompts and placeholders
    if (t.user() == null) {
      diagnostics.error("task method '" + method + "' has no @UserPrompt; add @UserPrompt(\"… {{parameter}} …\") "
          + "with the text sent as the user message", m);
    }
    boolean promptsReadable = true;
    Set<String> used = new LinkedHashSet<>();
    for (PromptModel prompt : new PromptModel[] {t.system(), t.user()}) {
      if (prompt == null) {
        continue;
      }
      if (prompt.problem() != null) {
        promptsReadable = false;
        diagnostics.error(prompt.problem(), m, prompt.mirror(), prompt.problemValue());
        continue;
      }
      checkPlaceholders(t, prompt, used);
    }
    if (!promptsReadable || t.user() == null) {
      return;
    }
    for (ParameterModel p : t.parameters()) {
      if (p.plain() && !used.contains(p.name())) {
        diagnostics.error("parameter '" + p.name() + "' is not used in any prompt: add {{" + p.name()
            + "}} to @UserPrompt or @SystemPrompt, or annotate it @TraceId/@IdempotencyKey", p.element());
      }
    }
    if (used.isEmpty()) {
      diagnostics.warning("task '" + t.taskName() + "' has no {{placeholder}} in its prompts, so every call sends "
          + "the same text; pass the inputs as parameters and reference them as {{name}}", m);
    }
  }

  private static String unrenderable(ParameterModel p, PromptValues.Unrenderable u) {
    String what = (u.path() == null ? u.type() : TypeText.describe(p.type()) + ", whose component " + u.path()
        + " is " + u.type()) + ",";
    return "parameter '" + p.name() + "' is " + what + " which cannot be rendered into a prompt; " + u.advice()
        + (u.advice().equals(PromptValues.SUPPORTED) ? "" : " (" + PromptValues.SUPPORTED + ")");
  }

  private void checkCount(Attr<Integer> attr, String name) {
    if (attr.present() && attr.value() < 0 && reportedValues.add(attr.annotationValue())) {
      diagnostics.error(name + " = " + attr.value() + " is not allowed; write 0 or more (or leave it out to "
          + "inherit)", attr.element(), attr.mirror(), attr.annotationValue());
    }
  }

  private void special(ParameterModel p, AnnotationMirror mirror, String annotation, ParameterModel earlier,
      String method) {
    if (!p.string()) {
      diagnostics.error(annotation + " parameter '" + p.name() + "' must be a String, not "
          + TypeText.describe(p.type()) + "; declare it as " + annotation + " String " + p.name(),
          p.element(), mirror);
    }
    if (earlier != null) {
      diagnostics.error("task method '" + method + "' has two " + annotation + " parameters ('" + earlier.name()
          + "' and '" + p.name() + "'); keep one", p.element(), mirror);
    }
  }

  private void checkPlaceholders(TaskMethodModel t, PromptModel prompt, Set<String> used) {
    String where = "@" + Annotations.simpleName(prompt.mirror());
    List<String> plain = t.parameters().stream().filter(ParameterModel::plain).map(ParameterModel::name).toList();
    for (String name : prompt.template().placeholders()) {
      String[] path = name.split("\\.", -1);
      ParameterModel param = t.parameters().stream().filter(p -> p.name().equals(path[0])).findFirst().orElse(null);
      if (param == null) {
        diagnostics.error("placeholder {{" + name + "}} in " + where + " names no parameter of '" + t.methodName()
            + "'; the parameters you can use are: " + (plain.isEmpty() ? "(none)" : String.join(", ", plain))
            + ". Fix the name or add a parameter '" + (path[0].isEmpty() ? "x" : path[0]) + "'",
            t.element(), prompt.mirror());
      } else if (!param.plain()) {
        String kind = param.traceId() != null ? "@TraceId" : param.idempotencyKey() != null ? "@IdempotencyKey"
            : "CallOptions";
        diagnostics.error("placeholder {{" + name + "}} in " + where + " names the " + kind
            + " parameter; prompts can only use plain parameters: add a separate parameter for the text",
            t.element(), prompt.mirror());
      } else {
        used.add(param.name());
        checkPath(t, prompt, where, name, path, param.type());
      }
    }
  }

  /** Checks that each step after the parameter of {@code {{a.b.c}}} names a component of the record before it. */
  private void checkPath(TaskMethodModel t, PromptModel prompt, String where, String name, String[] path,
      TypeMirror type) {
    TypeMirror current = type;
    for (int i = 1; i < path.length; i++) {
      String before = String.join(".", java.util.Arrays.copyOfRange(path, 0, i));
      javax.lang.model.element.TypeElement record = PromptValues.record(current);
      if (record == null) {
        diagnostics.error("placeholder {{" + name + "}} in " + where + " reads '" + path[i] + "' of " + before
            + ", which is " + TypeText.describe(current) + ", not a record; a path steps through record components "
            + "only: write {{" + before + "}}", t.element(), prompt.mirror());
        return;
      }
      javax.lang.model.element.RecordComponentElement component = PromptValues.component(record, path[i]);
      if (component == null) {
        String components = record.getRecordComponents().stream().map(rc -> rc.getSimpleName().toString())
            .collect(Collectors.joining(", "));
        diagnostics.error("placeholder {{" + name + "}} in " + where + " names no component of " + before
            + " (record " + record.getSimpleName() + "); the components of " + record.getSimpleName() + " are: "
            + (components.isEmpty() ? "(none)" : components), t.element(), prompt.mirror());
        return;
      }
      current = component.asType();
    }
  }

  private Map<String, List<CheckMethodModel>> checkChecks(TaskInterfaceModel model) {
    Map<String, List<CheckMethodModel>> bindings = new LinkedHashMap<>();
    for (CheckMethodModel c : model.checks()) {
      ExecutableElement m = c.element();
      String name = c.name();
      boolean ok = true;
      if (!m.getModifiers().contains(Modifier.DEFAULT)) {
        ok = false;
        diagnostics.error("@Check method '" + name + "' must be a default method"
            + (m.getModifiers().contains(Modifier.STATIC) ? ", not static" : "")
            + "; write `default List<String> " + name + "(YourResult value, …) { … }`", m);
      }
      if (!isListOfString(m.getReturnType())) {
        ok = false;
        diagnostics.error("@Check method '" + name + "' must return List<String> (the violations, empty when the "
            + "answer passes), not " + TypeText.describe(m.getReturnType()), m);
      }
      List<? extends VariableElement> params = m.getParameters();
      List<String> resultTypes = model.tasks().stream().filter(t -> t.output() != null)
          .map(t -> TypeText.describe(t.output().resultType())).distinct().toList();
      if (params.isEmpty()) {
        diagnostics.error("@Check method '" + name + "' must take the task's result as its first parameter, e.g. "
            + name + "(" + (resultTypes.isEmpty() ? "YourResult" : resultTypes.get(0)) + " value)", m);
        continue;
      }
      TypeMirror first = boxed(params.get(0).asType());
      List<TaskMethodModel> targets = model.tasks().stream()
          .filter(t -> t.output() != null && types.isSameType(t.output().resultType(), first)).toList();
      if (targets.isEmpty()) {
        if (model.tasks().stream().allMatch(t -> t.output() != null)) {
          diagnostics.error("@Check method '" + name + "' takes " + TypeText.describe(params.get(0).asType())
              + " first, which no task method of this interface returns; the first parameter must be a task's "
              + "result type: " + (resultTypes.isEmpty() ? "(no task methods)" : String.join(", ", resultTypes)),
              params.get(0));
        }
        continue; // otherwise a task's return type is already reported
      }
      for (VariableElement p : params.subList(1, params.size())) {
        String pname = p.getSimpleName().toString();
        for (TaskMethodModel t : targets) {
          ParameterModel match = t.parameters().stream().filter(tp -> tp.name().equals(pname)).findFirst().orElse(null);
          if (match == null || !types.isSameType(match.type(), p.asType())) {
            ok = false;
            String available = t.parameters().stream()
                .map(tp -> TypeText.describe(tp.type()) + " " + tp.name()).collect(Collectors.joining(", "));
            diagnostics.error("@Check parameter '" + pname + "' (" + TypeText.describe(p.asType())
                + ") matches no parameter of task method '" + t.methodName() + "'; a @Check parameter after the "
                + "first must have the name and type of a task parameter: " + (available.isEmpty() ? "(none)" : available),
                p);
          }
        }
      }
      if (ok) {
        for (TaskMethodModel t : targets) {
          bindings.computeIfAbsent(t.methodName(), k -> new ArrayList<>()).add(c);
        }
      }
    }
    return bindings;
  }

  private TypeMirror boxed(TypeMirror t) {
    return t.getKind().isPrimitive() ? types.boxedClass((javax.lang.model.type.PrimitiveType) t).asType() : t;
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
    TypeMirror arg = d.getTypeArguments().get(0);
    return arg.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) arg).asElement()).getQualifiedName().contentEquals("java.lang.String");
  }
}
