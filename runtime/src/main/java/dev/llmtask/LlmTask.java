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
   * Routes to try, in order, when the first route (the task's model on the runtime's default provider)
   * fails with one of {@link #fallbackOn()}: each written {@code provider/model}, e.g. {@code
   * "anthropic/claude-3-5-haiku-latest"}, the provider named as registered with {@code
   * LlmRuntime.builder().provider(name, …)}. Checked for syntax at compile time; a provider the runtime
   * lacks fails {@link LlmTasks#create}. Runtime per-task options may replace the list. Default: none.
   */
  String[] fallbacks() default {};

  /**
   * The statuses that move a call to the next of its {@link #fallbacks()}. Default (none written):
   * {@code PROVIDER_ERROR}, {@code TIMEOUT} and {@code RATE_LIMITED} after the route's retries, {@code
   * QUOTA_EXHAUSTED} at once, {@code CONTEXT_TOO_LONG} to a route with a larger context. {@code REFUSED}
   * and {@code INVALID_OUTPUT} (after the re-asks) may be added; {@code AUTH_ERROR} and {@code BAD_REQUEST}
   * are a compile error.
   */
  CallStatus[] fallbackOn() default {};

  /** Sampling temperature, 0 to 2 (Anthropic: at most 1). {@code -1} inherits; unset, none is sent. */
  double temperature() default -1;

  /** Nucleus sampling top_p, above 0 and at most 1. {@code -1} inherits; unset, none is sent. */
  double topP() default -1;

  /** Output token cap per model turn, at least 1. {@code -1} inherits; the final default is 4096. */
  int maxOutputTokens() default -1;

  /** Sampling seed, zero or more (OpenAI only: a route on Anthropic refuses it when wired). {@code -1} inherits. */
  long seed() default -1;

  /** Stop sequences, at most 4, none empty. None written inherits. */
  String[] stop() default {};

  /**
   * The provider dialects the interface's tasks are sent in; only on the interface. The build checks each
   * answer's schema against the limits of these dialects only: {@code @LlmTask(dialects = Dialect.ANTHROPIC)}
   * is not held to OpenAI's strict-mode limits. Default: every dialect.
   */
  Dialect[] dialects() default {};

  /**
   * The tools interfaces whose {@link dev.llmtask.tool.Tool} methods the model may call during the
   * task (docs/tools.md); on a method it replaces the interface's list. The runtime needs an
   * implementation of each ({@link dev.llmtask.tool.Toolbox}). A task that may call an action needs
   * an {@link IdempotencyKey} parameter. Default: none.
   */
  Class<?>[] tools() default {};

  /** A provider wire dialect: OpenAI Chat Completions (and compatible servers) or Anthropic Messages. */
  enum Dialect {
    /** OpenAI strict {@code json_schema} output, also used by OpenAI-compatible servers. */
    OPENAI,
    /** Anthropic forced tool use with an {@code input_schema}. */
    ANTHROPIC
  }
}
