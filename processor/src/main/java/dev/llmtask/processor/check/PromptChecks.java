package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.ParameterModel;
import dev.llmtask.processor.model.PromptModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TypeText;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * A task's prompts and the parameters they render: a {@code @UserPrompt} is there, every
 * {@code {{placeholder}}} names a plain parameter (and a path through its record components), every plain
 * parameter is used and can be rendered.
 */
final class PromptChecks {
  private final PromptValues promptValues;

  PromptChecks(PromptValues promptValues) {
    this.promptValues = promptValues;
  }

  void check(TaskMethodModel t, Report report) {
    for (ParameterModel p : t.parameters()) {
      if (p.plain()) {
        promptValues.check(p.type()).ifPresent(u -> report.error(unrenderable(p, u), p.element()));
      }
    }
    if (t.user() == null) {
      report.error("task method '" + t.methodName() + "' has no @UserPrompt; add @UserPrompt(\"… {{parameter}} "
          + "…\") with the text sent as the user message", t.element());
    }
    boolean promptsReadable = true;
    Set<String> used = new LinkedHashSet<>();
    for (PromptModel prompt : new PromptModel[] {t.system(), t.user()}) {
      if (prompt == null) {
        continue;
      }
      if (!prompt.readable()) {
        promptsReadable = false; // the reader returned why
        continue;
      }
      placeholders(t, prompt, used, report);
    }
    if (!promptsReadable || t.user() == null) {
      return;
    }
    for (ParameterModel p : t.parameters()) {
      if (p.plain() && !used.contains(p.name())) {
        report.error("parameter '" + p.name() + "' is not used in any prompt: add {{" + p.name()
            + "}} to @UserPrompt or @SystemPrompt, or annotate it @TraceId/@IdempotencyKey", p.element());
      }
    }
    if (used.isEmpty()) {
      report.warning("task '" + t.taskName() + "' has no {{placeholder}} in its prompts, so every call sends "
          + "the same text; pass the inputs as parameters and reference them as {{name}}", t.element());
    }
  }

  private static String unrenderable(ParameterModel p, PromptValues.Unrenderable u) {
    String what = (u.path() == null ? u.type() : TypeText.describe(p.type()) + ", whose component " + u.path()
        + " is " + u.type()) + ",";
    return "parameter '" + p.name() + "' is " + what + " which cannot be rendered into a prompt; " + u.advice()
        + (u.advice().equals(PromptValues.SUPPORTED) ? "" : " (" + PromptValues.SUPPORTED + ")");
  }

  private static void placeholders(TaskMethodModel t, PromptModel prompt, Set<String> used, Report report) {
    String where = "@" + Annotations.simpleName(prompt.mirror());
    List<String> plain = t.parameters().stream().filter(ParameterModel::promptable).map(ParameterModel::name)
        .toList();
    for (String name : prompt.template().placeholders()) {
      String[] path = name.split("\\.", -1);
      ParameterModel param = t.parameters().stream().filter(p -> p.name().equals(path[0])).findFirst().orElse(null);
      if (param == null) {
        report.error("placeholder {{" + name + "}} in " + where + " names no parameter of '" + t.methodName()
            + "'; the parameters you can use are: " + (plain.isEmpty() ? "(none)" : String.join(", ", plain))
            + ". Fix the name or add a parameter '" + (path[0].isEmpty() ? "x" : path[0]) + "'",
            t.element(), prompt.mirror());
      } else if (!param.promptable()) {
        String kind = param.traceId() != null ? "@TraceId" : param.idempotencyKey() != null ? "@IdempotencyKey"
            : "CallOptions";
        report.error("placeholder {{" + name + "}} in " + where + " names the " + kind
            + " parameter; prompts can only use plain parameters: add a separate parameter for the text",
            t.element(), prompt.mirror());
      } else {
        used.add(param.name());
        path(t, prompt, where, name, path, param.type(), report);
      }
    }
  }

  /** Checks that each step after the parameter of {@code {{a.b.c}}} names a component of the record before it. */
  private static void path(TaskMethodModel t, PromptModel prompt, String where, String name, String[] path,
      TypeMirror type, Report report) {
    TypeMirror current = type;
    for (int i = 1; i < path.length; i++) {
      String before = String.join(".", Arrays.copyOfRange(path, 0, i));
      TypeElement record = PromptValues.record(current);
      if (record == null) {
        report.error("placeholder {{" + name + "}} in " + where + " reads '" + path[i] + "' of " + before
            + ", which is " + TypeText.describe(current) + ", not a record; a path steps through record components "
            + "only: write {{" + before + "}}", t.element(), prompt.mirror());
        return;
      }
      RecordComponentElement component = PromptValues.component(record, path[i]);
      if (component == null) {
        String components = record.getRecordComponents().stream().map(rc -> rc.getSimpleName().toString())
            .collect(Collectors.joining(", "));
        report.error("placeholder {{" + name + "}} in " + where + " names no component of " + before
            + " (record " + record.getSimpleName() + "); the components of " + record.getSimpleName() + " are: "
            + (components.isEmpty() ? "(none)" : components), t.element(), prompt.mirror());
        return;
      }
      current = component.asType();
    }
  }
}
