package dev.llmtask.cdi;

import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;

/** A generated client the extension makes a bean. */
@LlmTask(promptVersion = "greet@1", model = "gpt-4o-mini", timeout = "10s")
public interface GreetingDesk {
  /** The answer. */
  record Greeting(@NotBlank String text) {}

  @UserPrompt("Greet {{name}} in one sentence.")
  Greeting greet(String name);
}
