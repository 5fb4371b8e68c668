package dev.llmtask.processor.check;

import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.Attr;
import dev.llmtask.processor.model.TaskInterfaceModel;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TaskRoutes;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks each task's fallback routes and sampling settings: routes written {@code provider/model}, no
 * trigger another route cannot fix, settings in their ranges, and, for routes on the {@code openai} and
 * {@code anthropic} providers, a dialect the interface's schemas were checked for and settings that
 * provider can send. Every problem is a compile error on the attribute.
 */
public final class RouteChecker {
  /** The same syntax as the runtime's: a provider name, a slash, a model name without spaces. */
  static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[^\\s/][^\\s]*");
  private static final Set<String> NEVER = Set.of("OK", "AUTH_ERROR", "BAD_REQUEST", "CANCELLED", "BUDGET_EXCEEDED");
  private static final int MAX_STOP = 4;

  private final Annotations annotations;
  private final Diagnostics diagnostics;

  public RouteChecker(Annotations annotations, Diagnostics diagnostics) {
    this.annotations = annotations;
    this.diagnostics = diagnostics;
  }

  /** The routes of each task (by method name), or {@code null} when any has an error. */
  public Map<String, TaskRoutes> check(TaskInterfaceModel model) {
    int before = diagnostics.errorCount();
    Map<String, TaskRoutes> out = new HashMap<>();
    for (TaskMethodModel task : model.tasks()) {
      TaskRoutes routes = TaskRoutes.read(annotations, task.element());
      check(routes, model.dialects());
      out.put(task.methodName(), routes);
    }
    return diagnostics.errorCount() == before ? out : null;
  }

  private void check(TaskRoutes r, Set<String> dialects) {
    boolean anthropicRoute = false;
    if (r.fallbacks().present()) {
      for (String route : r.fallbacks().value()) {
        if (!ROUTE.matcher(route).matches()) {
          error(r.fallbacks(), "fallbacks entry \"" + route + "\" must be written provider/model, e.g."
              + " \"anthropic/claude-3-5-haiku-latest\": the provider's name as registered with"
              + " LlmRuntime.builder().provider(name, …), a slash, then the model");
          continue;
        }
        String provider = route.substring(0, route.indexOf('/'));
        String dialect = provider.equals("openai") || provider.equals("anthropic") ? provider.toUpperCase(Locale.ROOT) : null;
        anthropicRoute |= provider.equals("anthropic");
        if (dialect != null && !dialects.contains(dialect)) {
          error(r.fallbacks(), "the route " + route + " is sent in the " + dialect + " dialect, but the interface's"
              + " @LlmTask(dialects = …) leaves it out, so the answer's schema was not checked for it: add Dialect."
              + dialect + " to dialects, or drop the route");
        }
      }
    }
    if (r.fallbackOn().present()) {
      for (String status : r.fallbackOn().value()) {
        if (NEVER.contains(status)) {
          error(r.fallbackOn(), "fallbackOn cannot include " + status + ": another route cannot fix it (never AUTH_ERROR"
              + " or BAD_REQUEST; fix the credentials or the request); keep PROVIDER_ERROR, TIMEOUT, RATE_LIMITED,"
              + " QUOTA_EXHAUSTED, CONTEXT_TOO_LONG, REFUSED or INVALID_OUTPUT");
        }
      }
    }
    range(r.temperature(), 0, 2, true, "temperature must be between 0 and 2");
    range(r.topP(), 0, 1, false, "topP must be above 0 and at most 1");
    if (r.maxOutputTokens().present() && r.maxOutputTokens().value() < 1) {
      error(r.maxOutputTokens(), "maxOutputTokens must be at least 1 (or -1 to inherit), was " + r.maxOutputTokens().value());
    }
    if (r.seed().present() && r.seed().value() < 0) {
      error(r.seed(), "seed must be zero or more (or -1 to inherit), was " + r.seed().value());
    }
    if (r.stop().present()) {
      List<String> stop = r.stop().value();
      if (stop.size() > MAX_STOP) {
        error(r.stop(), "stop takes at most " + MAX_STOP + " sequences, was " + stop.size() + ": keep the most telling ones");
      } else if (stop.stream().anyMatch(String::isEmpty)) {
        error(r.stop(), "a stop sequence must not be empty");
      }
    }
    if (anthropicRoute && r.seed().present()) {
      error(r.seed(), "seed cannot be sent on the task's anthropic route: Anthropic Messages has no seed parameter;"
          + " remove seed, or set it per route with LlmRuntime.builder().route(\"openai/…\", Sampling…)");
    }
    if (anthropicRoute && r.temperature().present() && r.temperature().value() > 1) {
      error(r.temperature(), "temperature " + r.temperature().value() + " cannot be sent on the task's anthropic route:"
          + " Anthropic Messages accepts 0 to 1; use at most 1");
    }
  }

  private void range(Attr<Double> attr, double low, double high, boolean lowIncluded, String message) {
    if (!attr.present()) {
      return;
    }
    double v = attr.value();
    if (!(lowIncluded ? v >= low : v > low) || !(v <= high)) {
      error(attr, message + " (or -1 to inherit), was " + v);
    }
  }

  private void error(Attr<?> attr, String message) {
    diagnostics.error(message, attr.element(), attr.mirror(), attr.annotationValue());
  }
}
