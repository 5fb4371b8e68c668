package dev.llmtask.provider;

import dev.llmtask.codegen.OutputSchema;
import java.util.List;
import java.util.Objects;

/**
 * One request to a model, independent of the provider's dialect.
 *
 * @param task task name
 * @param model model name
 * @param systemPrompt system prompt, or {@code null}
 * @param userPrompt user prompt
 * @param schema the answer's schemas
 * @param repairs earlier invalid answers and the feedback on each, oldest first (re-asks)
 * @param retryCount how many retries preceded this attempt (0 on the first)
 * @param maxOutputTokens output token cap
 */
public record ModelRequest(
    String task,
    String model,
    String systemPrompt,
    String userPrompt,
    OutputSchema schema,
    List<Repair> repairs,
    int retryCount,
    int maxOutputTokens) {

  public ModelRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(userPrompt, "userPrompt");
    Objects.requireNonNull(schema, "schema");
    repairs = List.copyOf(repairs);
  }

  /** A copy for the given retry number. */
  public ModelRequest withRetryCount(int retryCount) {
    return new ModelRequest(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens);
  }

  /**
   * An earlier answer the runtime rejected, and the feedback sent back with the re-ask.
   *
   * @param answer the model's answer text as received
   * @param feedback what was wrong with it
   */
  public record Repair(String answer, String feedback) {
    /** The user turn that re-asks the model, the same for every provider. */
    public String instruction() {
      return "Your previous answer was rejected: " + feedback
          + "\nAnswer again with JSON that satisfies the schema and fixes these problems.";
    }
  }
}
