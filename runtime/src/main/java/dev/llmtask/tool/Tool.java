package dev.llmtask.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a tools interface as a tool the model may call. A task lists the interfaces
 * whose tools it may use with {@code @LlmTask(tools = RotationTools.class)}; the application gives
 * the runtime an implementation of each ({@link Toolbox.Builder#add}).
 *
 * <p>A tool method takes no parameter or one record (its arguments: the processor generates their
 * JSON Schema with the same types and constraints as a task's output, and the runtime decodes and
 * validates the model's arguments before the tool runs) and returns a record, an enum, a
 * {@code String}, a number, a boolean or a {@code List} of those (sent to the model as JSON).
 *
 * <p>{@code action = true} marks a tool with side effects (creating a job, sending an e-mail). An
 * action runs at most once per call key: through {@link dev.llmtask.action.IdempotentActions}, keyed
 * by the call's {@link dev.llmtask.IdempotencyKey}, the tool's name and its canonical arguments, and
 * only after the {@link ToolAuthorizer} allowed it. A task that may call an action needs an
 * {@code @IdempotencyKey} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {
  /** What the tool does, for the model (sent as the tool's description). */
  String value() default "";

  /** The tool's name on the wire; default: the method name in snake_case. */
  String name() default "";

  /** True for a tool with side effects: it runs once per call key, after authorization. */
  boolean action() default false;
}
