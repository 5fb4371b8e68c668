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
    // chains of firstNonNull, not varargs: this runs on every call, and each varargs array is garbage
    String model = or(call.model(), or(task.model(), or(settings.modelOverride(), or(spec.model(), settings.defaultModel()))));
    Duration timeout = or(call.timeout(), or(task.timeout(), or(spec.timeout(), settings.defaultTimeout())));
    Duration attempt = or(call.attemptTimeout(), or(task.attemptTimeout(), or(settings.attemptTimeout(), timeout)));
    int maxRetries = or(call.maxRetries(), task.maxRetries(), spec.maxRetries(), settings.defaultMaxRetries());
    int repairs = or(call.repairs(), task.repairs(), spec.repairs(), settings.defaultRepairs());
    return new CallPolicy(model, timeout, attempt.compareTo(timeout) > 0 ? timeout : attempt, maxRetries, repairs);
  }

  private static <V> V or(V first, V second) {
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
