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
    // chains of firstNonNull, not varargs: this runs on every call, and each varargs array is garbage
    String model = or(call.model(), or(task.model(), or(settings.modelOverride(), or(spec.model(), settings.defaultModel()))));
    Duration timeout = or(call.timeout(), or(task.timeout(), or(spec.timeout(), settings.defaultTimeout())));
    Duration attempt = or(call.attemptTimeout(), or(task.attemptTimeout(), or(settings.attemptTimeout(), timeout)));
    int maxRetries = or(call.maxRetries(), task.maxRetries(), spec.maxRetries(), settings.defaultMaxRetries());
    int repairs = or(call.repairs(), task.repairs(), spec.repairs(), settings.defaultRepairs());
    return new CallPolicy(model, timeout, attempt.compareTo(timeout) > 0 ? timeout : attempt, maxRetries, repairs,
        fallbacks(or(call.fallbacks(), or(task.fallbacks(), spec.fallbacks()))),
        or(call.fallbackOn(), or(task.fallbackOn(), or(spec.fallbackOn(), DEFAULT_FALLBACK_ON))),
        call.sampling().or(task.sampling()), spec.sampling());
  }

  /** The routes named by the call, per-task options or the annotation, parsed per call (a task names a handful). */
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

  static <V> V or(V first, V second) {
    return first != null ? first : second;
  }

  /** The call's, else the task's, else the declared ({@link TaskSpec#INHERIT} when unwritten), else the runtime's. */
  private static int or(Integer call, Integer task, int declared, int runtime) {
    if (call != null) {
      return call;
    }
    if (task != null) {
      return task;
    }
    return declared != TaskSpec.INHERIT ? declared : runtime;
  }
}
