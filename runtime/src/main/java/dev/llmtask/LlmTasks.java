package dev.llmtask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/** Obtains the generated implementation of an {@link LlmTask} interface. */
public final class LlmTasks {
  private LlmTasks() {}

  /**
   * Returns the implementation that the llmtask processor generated for {@code taskInterface}
   * ({@code RotationDesk} → {@code RotationDesk_LlmTask}), bound to {@code runtime}.
   *
   * @throws IllegalArgumentException when the type is not an {@code @LlmTask} interface
   * @throws IllegalStateException when no implementation was generated: the processor is not on
   *     the compiler's annotation processor path
   */
  public static <T> T create(Class<T> taskInterface, LlmRuntime runtime) {
    Objects.requireNonNull(taskInterface, "taskInterface");
    Objects.requireNonNull(runtime, "runtime");
    if (!taskInterface.isInterface()) {
      throw new IllegalArgumentException(taskInterface.getName() + " is not an interface; declare tasks on an @LlmTask interface");
    }
    String implName = implementationName(taskInterface);
    Class<?> impl;
    try {
      impl = Class.forName(implName, true, taskInterface.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("No generated implementation " + implName + " for " + taskInterface.getName()
          + ": annotate the interface with @LlmTask and add dev.llmtask:llmtask-processor to the compiler's"
          + " annotationProcessorPaths", e);
    }
    try {
      Object instance = MethodHandles.publicLookup()
          .findConstructor(impl, MethodType.methodType(void.class, LlmRuntime.class))
          .invoke(runtime);
      return taskInterface.cast(instance);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Cannot construct " + implName, e);
    }
  }

  /** {@code com.example.Outer.Desk} → {@code com.example.Outer_Desk_LlmTask}. */
  static String implementationName(Class<?> type) {
    StringBuilder simple = new StringBuilder(type.getSimpleName());
    for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
      simple.insert(0, outer.getSimpleName() + "_");
    }
    String pkg = type.getPackageName();
    return (pkg.isEmpty() ? "" : pkg + ".") + simple + "_LlmTask";
  }
}
