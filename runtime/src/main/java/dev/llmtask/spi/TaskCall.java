package dev.llmtask.spi;

import java.util.Map;
import java.util.Objects;

/**
 * The contract of one task call as links see it. Immutable; {@link #withModel} and
 * {@link #withProvider} give a copy routed elsewhere, to pass to {@code proceed}.
 *
 * <p>The prompts are customer text: use them for keys (hash them), never log them. {@link #toString()}
 * leaves them out.
 *
 * @param task the task name, e.g. {@code decide_rotation}
 * @param promptVersion the declared prompt version, e.g. {@code rotation_decision@2}
 * @param provider the name of the provider the call goes to, e.g. {@code openai}
 * @param model the model asked
 * @param traceId the caller's trace id, or one generated for this call
 * @param idempotencyKey the caller's idempotency key, or {@code null}
 * @param metadata the caller's metadata from {@link dev.llmtask.CallOptions#metadata()} (never sent to the provider)
 * @param mode how the caller waits for the call
 * @param systemPrompt the rendered system prompt, or {@code null}
 * @param userPrompt the rendered user prompt
 */
public record TaskCall(
    String task,
    String promptVersion,
    String provider,
    String model,
    String traceId,
    String idempotencyKey,
    Map<String, String> metadata,
    Mode mode,
    String systemPrompt,
    String userPrompt) {

  /** How the caller waits for a call. */
  public enum Mode {
    /** A method returning the value: the call runs on the caller's thread. */
    BLOCKING,
    /** A method returning a {@code CompletableFuture}: no thread waits. */
    ASYNC,
    /** A method returning an {@code LlmStream}: never re-asked, retried only before its first event. */
    STREAM
  }

  public TaskCall {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(promptVersion, "promptVersion");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(userPrompt, "userPrompt");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** This call asking {@code model} instead. */
  public TaskCall withModel(String model) {
    return new TaskCall(task, promptVersion, provider, Objects.requireNonNull(model, "model"), traceId,
        idempotencyKey, metadata, mode, systemPrompt, userPrompt);
  }

  /**
   * This call sent to the provider registered under {@code provider} (see
   * {@code LlmRuntime.Builder.provider(String, LlmProvider)}).
   */
  public TaskCall withProvider(String provider) {
    return new TaskCall(task, promptVersion, Objects.requireNonNull(provider, "provider"), model, traceId,
        idempotencyKey, metadata, mode, systemPrompt, userPrompt);
  }

  /** The contract without the prompts. */
  @Override
  public String toString() {
    return "TaskCall[task=" + task + ", promptVersion=" + promptVersion + ", provider=" + provider + ", model=" + model
        + ", traceId=" + traceId + ", mode=" + mode + "]";
  }
}
