package dev.llmtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The system prompt of a task method: text with {@code {{parameter}}} placeholders, given inline
 * as {@link #value()} or read at compile time from a class-path {@link #resource()}.
 * Every placeholder must name a parameter of the method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SystemPrompt {
  /** The prompt text. */
  String value() default "";

  /** A source-path resource holding the prompt text, e.g. {@code "prompts/rotation_system.txt"}. */
  String resource() default "";
}
