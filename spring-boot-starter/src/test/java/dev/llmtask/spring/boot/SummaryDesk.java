package dev.llmtask.spring.boot;

import dev.llmtask.Cached;
import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;

/** A second generated client, so the index holds more than one; cached when the runtime has a response store. */
@LlmTask(promptVersion = "summarize@1", model = "gpt-4o-mini")
public interface SummaryDesk {
  @Cached(ttl = "10m")
  @UserPrompt("Summarize: {{text}}")
  String summarize(String text);
}
