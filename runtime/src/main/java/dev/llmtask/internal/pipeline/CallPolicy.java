package dev.llmtask.internal.pipeline;

import dev.llmtask.CallOptions;
import dev.llmtask.codegen.TaskSpec;
import java.time.Duration;

/**
 * The policy in force for one call, resolved once: the call's {@link CallOptions}, then the
 * runtime's per-task options, then the runtime-wide model override, then what the annotation
 * writes, then the runtime's defaults.
 */
record CallPolicy(String model, Duration timeout, Duration attemptTimeout, int maxRetries, int repairs) {

  static CallPolicy resolve(TaskSpec<?> spec, CallOptions call, RuntimeSettings settings) {
    CallOptions task = settings.taskOptions().getOrDefault(spec.name(), CallOptions.none());
    String model = first(call.model(), task.model(), settings.modelOverride(), spec.model(), settings.defaultModel());
    Duration timeout = first(call.timeout(), task.timeout(), spec.timeout(), settings.defaultTimeout());
    Duration attempt = first(call.attemptTimeout(), task.attemptTimeout(), settings.attemptTimeout(), timeout);
    int maxRetries = first(call.maxRetries(), task.maxRetries(), inherit(spec.maxRetries()), settings.defaultMaxRetries());
    int repairs = first(call.repairs(), task.repairs(), inherit(spec.repairs()), settings.defaultRepairs());
    return new CallPolicy(model, timeout, attempt.compareTo(timeout) > 0 ? timeout : attempt, maxRetries, repairs);
  }

  private static Integer inherit(int declared) {
    return declared == TaskSpec.INHERIT ? null : declared;
  }

  @SafeVarargs
  static <V> V first(V... candidates) {
    for (V v : candidates) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
