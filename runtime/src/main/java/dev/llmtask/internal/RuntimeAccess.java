package dev.llmtask.internal;

import dev.llmtask.LlmRuntime;
import dev.llmtask.internal.pipeline.Pipeline;
import java.util.Objects;
import java.util.function.Function;

/**
 * Gives generated code (through {@link dev.llmtask.codegen.TaskSpec}) the runtime's pipeline
 * without making it part of {@link LlmRuntime}'s public API. {@code LlmRuntime} installs the
 * accessor in its static initializer, which has run before any instance exists.
 */
public final class RuntimeAccess {
  private static volatile Function<LlmRuntime, Pipeline> accessor;

  private RuntimeAccess() {}

  public static void install(Function<LlmRuntime, Pipeline> f) {
    accessor = Objects.requireNonNull(f);
  }

  public static Pipeline pipeline(LlmRuntime runtime) {
    return accessor.apply(Objects.requireNonNull(runtime, "runtime"));
  }
}
