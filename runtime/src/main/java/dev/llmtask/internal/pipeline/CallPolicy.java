package dev.llmtask.internal.pipeline;

import dev.llmtask.CallOptions;
import dev.llmtask.CallStatus;
import dev.llmtask.Sampling;
import dev.llmtask.codegen.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The policy in force for one call, resolved once: the call's {@link CallOptions}, then the
 * runtime's per-task options, then the runtime-wide model override, then what the annotation
 * writes, then the runtime's defaults.
 */
record CallPolicy(String model, Duration timeout, Duration attemptTimeout, int maxRetries, int repairs,
    List<Route> fallbacks, Set<CallStatus> fallbackOn, Sampling overrides, Sampling declared) {

  /**
   * The fallback triggers a careful user would pick: failures of the route's provider (after its retries),
   * an exhausted quota (another provider has its own) and a prompt too long for the route's model.
   */
  static final Set<CallStatus> DEFAULT_FALLBACK_ON = Set.copyOf(EnumSet.of(CallStatus.PROVIDER_ERROR,
      CallStatus.TIMEOUT, CallStatus.RATE_LIMITED, CallStatus.QUOTA_EXHAUSTED, CallStatus.CONTEXT_TOO_LONG));

  static CallPolicy resolve(TaskSpec<?> spec, CallOptions call, RuntimeSettings settings) {
    CallOptions task = settings.taskOptions().getOrDefault(spec.name(), CallOptions.none());
    String model = first(call.model(), task.model(), settings.modelOverride(), spec.model(), settings.defaultModel());
    Duration timeout = first(call.timeout(), task.timeout(), spec.timeout(), settings.defaultTimeout());
    Duration attempt = first(call.attemptTimeout(), task.attemptTimeout(), settings.attemptTimeout(), timeout);
    int maxRetries = first(call.maxRetries(), task.maxRetries(), inherit(spec.maxRetries()), settings.defaultMaxRetries());
    int repairs = first(call.repairs(), task.repairs(), inherit(spec.repairs()), settings.defaultRepairs());
    return new CallPolicy(model, timeout, attempt.compareTo(timeout) > 0 ? timeout : attempt, maxRetries, repairs,
        fallbacks(first(call.fallbacks(), task.fallbacks(), spec.fallbacks())),
        first(call.fallbackOn(), task.fallbackOn(), spec.fallbackOn(), DEFAULT_FALLBACK_ON),
        call.sampling().or(task.sampling()), spec.sampling());
  }

  /** The routes named by per-task options or the annotation, parsed once per task and list. */
  static List<Route> fallbacks(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<Route> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(Route.of(t));
    }
    return out;
  }

  /** The sampling settings of a turn on {@code route}: the call's and task's options, the route's, the annotation's. */
  Sampling sampling(RuntimeSettings settings, String provider, String model) {
    Sampling route = settings.routeSampling().isEmpty() ? Sampling.none()
        : settings.routeSampling().getOrDefault(provider + "/" + model, Sampling.none());
    return overrides.or(route).or(declared);
  }

  private static Integer inherit(int declared) {
    return declared == TaskSpec.INHERIT ? null : declared;
  }

  @SafeVarargs
  private static <V> V first(V... candidates) {
    for (V v : candidates) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
