package dev.llmtask.quarkus;

import dev.llmtask.LlmResult;
import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;
import jakarta.validation.constraints.NotBlank;

/** A task interface; the processor generates GreetingDesk_LlmTask, a @Singleton bean ArC discovers. */
@LlmTask(promptVersion = "greet@1", model = "gpt-4o-mini", timeout = "10s")
public interface GreetingDesk {
  /** The answer. */
  record Greeting(@NotBlank String text) {}

  @UserPrompt("Greet {{name}} in one sentence.")
  LlmResult<Greeting> greet(String name);
}
