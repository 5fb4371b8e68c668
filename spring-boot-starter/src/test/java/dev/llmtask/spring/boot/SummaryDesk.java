package dev.llmtask.spring.boot;

import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;

/** A second generated client, so the index holds more than one. */
@LlmTask(promptVersion = "summarize@1", model = "gpt-4o-mini")
public interface SummaryDesk {
  @UserPrompt("Summarize: {{text}}")
  String summarize(String text);
}
