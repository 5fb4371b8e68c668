package dev.llmtask.spring.boot;

import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;

/** A generated client the starter registers from the index. */
@LlmTask(promptVersion = "greet@1", model = "gpt-4o-mini", timeout = "10s")
public interface GreetingDesk {
  /** The answer. */
  record Greeting(@NotBlank String text) {}

  @UserPrompt("Greet {{name}} in one sentence.")
  Greeting greet(String name);
}
