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
   * @throws IllegalStateException when no implementation was generated; the message names the likely
   *     causes (compiler plugin older than 3.5, processor missing from annotationProcessorPaths, an
   *     incremental build that skipped the processor) and what to write for each
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
      throw new IllegalStateException(missingImplementation(taskInterface, implName), e);
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

  /**
   * Why {@code X_LlmTask} is usually missing, most likely first, each with what to write. The build
   * is green in every case, so the message must name the causes a user cannot see.
   */
  static String missingImplementation(Class<?> taskInterface, String implName) {
    return "No generated implementation " + implName + " for " + taskInterface.getName()
        + ": the llmtask processor did not run on it. Likely causes:"
        + " (1) maven-compiler-plugin older than 3.5 ignores annotationProcessorPaths (Maven 3.8 picks 3.1 when no"
        + " version is given): pin <version>3.14.1</version> on maven-compiler-plugin;"
        + " (2) the processor is not on the processor path: add <path><groupId>dev.llmtask</groupId>"
        + "<artifactId>llmtask-processor</artifactId><version>…</version></path> to its annotationProcessorPaths;"
        + " (3) an incremental build or an IDE skipped the processor: run a clean build (mvn clean compile) or"
        + " enable annotation processing in the IDE;"
        + " (4) the interface lacks @LlmTask: annotate it (or its methods) with @LlmTask";
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
