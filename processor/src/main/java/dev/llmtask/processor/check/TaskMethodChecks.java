package dev.llmtask.processor.check;

import dev.llmtask.processor.diagnostic.Report;
import dev.llmtask.processor.model.Attr;
import dev.llmtask.processor.model.Durations;
import dev.llmtask.processor.model.ParameterModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TypeText;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * One task method's own rules: not generic, its contract attributes ({@code promptVersion}, {@code timeout},
 * {@code maxRetries}, {@code repairs}) and its special parameters ({@code @TraceId}, {@code @IdempotencyKey},
 * {@code @Tenant}, {@code CallOptions}).
 */
final class TaskMethodChecks {

  void check(TaskMethodModel t, Report report) {
    ExecutableElement m = t.element();
    String method = t.methodName();
    if (!m.getTypeParameters().isEmpty()) {
      report.error("task method '" + method + "' must not be generic; remove "
          + m.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
          + " and declare a concrete result type", m);
    }
    contractAttributes(t, report);
    specialParameters(t, report);
  }

  /** An attribute inherited from the interface gives the same problem for every task: the report keeps one. */
  private static void contractAttributes(TaskMethodModel t, Report report) {
    if (!t.promptVersion().present()) {
      report.error("task method '" + t.methodName() + "' has no promptVersion; add @LlmTask(promptVersion = \""
          + t.taskName() + "@1\") to the method or to its interface", t.element());
    }
    Attr<String> timeout = t.timeout();
    if (timeout.present() && Durations.parseMillis(timeout.value()).isEmpty()) {
      report.error("malformed timeout \"" + timeout.value() + "\"; write a positive whole number followed by "
          + "ms, s, m or h, e.g. timeout = \"20s\" or timeout = \"1500ms\"",
          timeout.element(), timeout.mirror(), timeout.annotationValue());
    }
    count(t.maxRetries(), "maxRetries", report);
    count(t.repairs(), "repairs", report);
  }

  private static void count(Attr<Integer> attr, String name, Report report) {
    if (attr.present() && attr.value() < 0) {
      report.error(name + " = " + attr.value() + " is not allowed; write 0 or more (or leave it out to "
          + "inherit)", attr.element(), attr.mirror(), attr.annotationValue());
    }
  }

  private static void specialParameters(TaskMethodModel t, Report report) {
    String method = t.methodName();
    ParameterModel traceId = null;
    ParameterModel idempotencyKey = null;
    ParameterModel tenant = null;
    ParameterModel options = null;
    for (ParameterModel p : t.parameters()) {
      if (p.traceId() != null && p.idempotencyKey() != null) {
        report.error("parameter '" + p.name() + "' cannot be both @TraceId and @IdempotencyKey; "
            + "declare two String parameters", p.element(), p.idempotencyKey());
        continue;
      }
      if (p.tenant() != null && (p.traceId() != null || p.idempotencyKey() != null)) {
        report.error("parameter '" + p.name() + "' cannot be both @Tenant and "
            + (p.traceId() != null ? "@TraceId" : "@IdempotencyKey") + "; declare two String parameters",
            p.element(), p.tenant());
        continue;
      }
      if (p.tenant() != null) {
        special(p, p.tenant(), "@Tenant", tenant, method, report);
        tenant = tenant == null ? p : tenant;
      } else if (p.traceId() != null) {
        special(p, p.traceId(), "@TraceId", traceId, method, report);
        traceId = traceId == null ? p : traceId;
      } else if (p.idempotencyKey() != null) {
        special(p, p.idempotencyKey(), "@IdempotencyKey", idempotencyKey, method, report);
        idempotencyKey = idempotencyKey == null ? p : idempotencyKey;
      } else if (p.callOptions()) {
        if (options != null) {
          report.error("task method '" + method + "' has two CallOptions parameters ('" + options.name()
              + "' and '" + p.name() + "'); keep one", p.element());
        }
        options = options == null ? p : options;
      }
    }
  }

  private static void special(ParameterModel p, AnnotationMirror mirror, String annotation, ParameterModel earlier,
      String method, Report report) {
    if (!p.string()) {
      report.error(annotation + " parameter '" + p.name() + "' must be a String, not "
          + TypeText.describe(p.type()) + "; declare it as " + annotation + " String " + p.name(),
          p.element(), mirror);
    }
    if (earlier != null) {
      report.error("task method '" + method + "' has two " + annotation + " parameters ('" + earlier.name()
          + "' and '" + p.name() + "'); keep one", p.element(), mirror);
    }
  }
}
