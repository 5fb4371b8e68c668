package dev.llmtask.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link LlmSimulatorExtension} for a simulator of its own instead of the one shared by the
 * test class: it is started for this parameter and closed after the test method (or, for a
 * constructor or {@code @BeforeAll} parameter, after the test class).
 *
 * <pre>{@code
 * @Test
 * void isolated(@FreshLlmSimulator(seed = 7) LlmSimulator simulator) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface FreshLlmSimulator {

  /** The seed of the fresh simulator's generated answers and identifiers. */
  long seed() default 42L;
}
