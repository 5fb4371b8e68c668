package dev.llmtask.codegen;

import dev.llmtask.LlmRuntime;
import java.util.Objects;
import java.util.function.Function;

/**
 * Finds the {@link TaskRunner} of an {@link LlmRuntime} without making it part of the runtime's
 * public API. {@code LlmRuntime} installs the one accessor in its static initializer, which has run
 * before any runtime exists; this class initializes {@code LlmRuntime} first, so the runtime's
 * accessor is always the one installed.
 */
public final class TaskRunners {
  private static volatile Function<LlmRuntime, TaskRunner> accessor;

  static {
    try {
      Class.forName(LlmRuntime.class.getName(), true, TaskRunners.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TaskRunners() {}

  /**
   * Installs the accessor; for {@link LlmRuntime} alone.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Function<LlmRuntime, TaskRunner> runnerOf) {
    Objects.requireNonNull(runnerOf, "runnerOf");
    if (accessor != null) {
      throw new IllegalStateException("the task runner accessor is installed by LlmRuntime alone, and only once");
    }
    accessor = runnerOf;
  }

  static TaskRunner of(LlmRuntime runtime) {
    TaskRunner capturing = DeferredCalls.capturing();
    return capturing != null ? capturing : accessor.apply(Objects.requireNonNull(runtime, "runtime"));
  }

  /** The runtime's own runner, even while {@link DeferredCalls#capture} runs. */
  static TaskRunner runnerOf(LlmRuntime runtime) {
    return accessor.apply(Objects.requireNonNull(runtime, "runtime"));
  }
}
