package dev.llmtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an interface whose abstract methods are calls to a large language model.
 *
 * <p>At compile time the llmtask annotation processor checks the declaration and generates
 * an implementation named {@code <Interface>_LlmTask}; obtain it with
 * {@link LlmTasks#create(Class, LlmRuntime)} or inject it.
 *
 * <pre>{@code
 * @LlmTask(promptVersion = "rotation_decision@2", model = "gpt-4o-mini", timeout = "20s", maxRetries = 2)
 * public interface RotationDesk {
 *   @SystemPrompt("Answer only from the policy below.\n{{policy}}")
 *   @UserPrompt("{{question}}")
 *   RotationDecision decideRotation(String question, String policy, @TraceId String traceId);
 * }
 * }</pre>
 *
 * <p>On the interface the attributes are defaults for every method; on a method they override
 * the interface's. An attribute left at its default value inherits.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LlmTask {

  /** Task name in telemetry. Default: the method name in snake_case ({@code decideRotation} → {@code decide_rotation}). */
  String name() default "";

  /** Version of the prompt, e.g. {@code "rotation_decision@2"}; required on the method or its interface. */
  String promptVersion() default "";

  /** Model name sent to the provider. Default: the runtime's default model. */
  String model() default "";

  /**
   * Overall deadline of one call as duration text: {@code "20s"}, {@code "1500ms"}, {@code "2m"}.
   * Default: the runtime's default timeout (30 s). The call ends {@link CallStatus#TIMEOUT}, never hangs.
   */
  String timeout() default "";

  /** Retries after the first attempt for retryable failures. {@code -1} inherits; the final default is 2. */
  int maxRetries() default -1;

  /** Re-asks after an invalid answer (schema, Bean Validation or {@link Check}). {@code -1} inherits; default 1. */
  int repairs() default -1;

  /**
   * The provider dialects the interface's tasks are sent in; only on the interface. The build checks each
   * answer's schema against the limits of these dialects only: {@code @LlmTask(dialects = Dialect.ANTHROPIC)}
   * is not held to OpenAI's strict-mode limits. Default: every dialect.
   */
  Dialect[] dialects() default {};

  /** A provider wire dialect: OpenAI Chat Completions (and compatible servers) or Anthropic Messages. */
  enum Dialect {
    /** OpenAI strict {@code json_schema} output, also used by OpenAI-compatible servers. */
    OPENAI,
    /** Anthropic forced tool use with an {@code input_schema}. */
    ANTHROPIC
  }
}
