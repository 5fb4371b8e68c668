package dev.llmtask;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A business rule on a task's answer, checked after schema decoding and Bean Validation.
 *
 * <p>Put it on a {@code default} method of the task interface returning {@code List<String>}.
 * The first parameter is the task's result type; any further parameters are task parameters,
 * matched by name and type, so the rule can compare the answer with the caller's own input.
 * An empty list passes; each string is one violation. Violations make the runtime re-ask the
 * model (up to {@link LlmTask#repairs()}) and then end the call
 * {@link CallStatus#INVALID_OUTPUT}. Violation texts are sent to the model and recorded in
 * telemetry: describe the rule, do not quote customer text.
 *
 * <pre>{@code
 * @Check
 * default List<String> windowMatchesPolicy(RotationDecision d, String policy) {
 *   return policy.contains(d.rotationWindowDays() + "-day") ? List.of()
 *       : List.of("rotation_window_days is not stated by the policy");
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Check {}
