package dev.llmtask.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns off {@link LlmSimulatorExtension}'s strict check for a test method or a whole test class:
 * scripted replies left unused no longer fail the test. Use it for a test that scripts more
 * replies than it may need, e.g. retries that may stop early.
 *
 * <pre>{@code
 * @Test
 * @LenientLlmSimulator
 * void mayStopEarly(LlmSimulator simulator) { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface LenientLlmSimulator {}
