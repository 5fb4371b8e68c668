package dev.llmtask.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a bad {@code llmtask.*} property as Spring Boot's start-up report: the property, then what to do. */
final class InvalidLlmTaskPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLlmTaskPropertyException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidLlmTaskPropertyException cause) {
    return new FailureAnalysis("The llmtask property " + cause.property() + " is not valid: "
        + cause.getMessage().substring(cause.property().length() + 2),
        "Update " + cause.property() + " in your application's configuration, or define an LlmRuntime bean of your"
            + " own to configure the runtime in code.", cause);
  }
}
