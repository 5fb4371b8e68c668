package dev.llmtask.provider;

import dev.llmtask.Sampling;
import dev.llmtask.codegen.OutputSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param sampling the other sampling settings to send (temperature, top_p, seed, stop); its own output
 *     token cap is already resolved into {@code maxOutputTokens}
 * @param headers extra HTTP headers links added (e.g. {@code traceparent}); the provider's own
 *     headers (credentials, content type) always win
 * @param tools the tools the model may call (empty: none)
 * @param toolTurns the tool calls the model made in this call and their results, oldest first
 */
public record ModelRequest(
    String task,
    String model,
    String systemPrompt,
    String userPrompt,
    OutputSchema schema,
    List<Repair> repairs,
    int retryCount,
    int maxOutputTokens,
    Sampling sampling,
    Map<String, String> headers,
    List<ToolDefinition> tools,
    List<ToolTurn> toolTurns) {

  public ModelRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(userPrompt, "userPrompt");
    Objects.requireNonNull(schema, "schema");
    repairs = List.copyOf(repairs);
    sampling = sampling == null ? Sampling.none() : sampling;
    headers = headers == null || headers.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    tools = tools == null ? List.of() : List.copyOf(tools);
    toolTurns = toolTurns == null ? List.of() : List.copyOf(toolTurns);
  }

  /** A request without tools. */
  public ModelRequest(String task, String model, String systemPrompt, String userPrompt, OutputSchema schema,
      List<Repair> repairs, int retryCount, int maxOutputTokens, Sampling sampling, Map<String, String> headers) {
    this(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens, sampling, headers,
        List.of(), List.of());
  }

  /** A request without extra headers. */
  public ModelRequest(String task, String model, String systemPrompt, String userPrompt, OutputSchema schema,
      List<Repair> repairs, int retryCount, int maxOutputTokens) {
    this(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens, Sampling.none(), Map.of());
  }

  /** A request with sampling settings and without extra headers. */
  public ModelRequest(String task, String model, String systemPrompt, String userPrompt, OutputSchema schema,
      List<Repair> repairs, int retryCount, int maxOutputTokens, Sampling sampling) {
    this(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens, sampling, Map.of());
  }

  /** A copy for the given retry number. */
  public ModelRequest withRetryCount(int retryCount) {
    return new ModelRequest(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens, sampling, headers,
        tools, toolTurns);
  }

  /** A copy with the HTTP header {@code name: value} added (replacing an earlier value of the same name). */
  public ModelRequest withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ModelRequest(task, model, systemPrompt, userPrompt, schema, repairs, retryCount, maxOutputTokens, sampling, more,
        tools, toolTurns);
  }

  /**
   * The turns after the user prompt, in the order they happened: the tool turns and the re-asks
   * interleaved by {@link ToolTurn#afterRepairs()}. Providers render each in their dialect.
   */
  public List<Turn> conversation() {
    if (toolTurns.isEmpty()) {
      return List.copyOf(repairs);
    }
    List<Turn> out = new java.util.ArrayList<>(repairs.size() + toolTurns.size());
    for (int i = 0; i <= repairs.size(); i++) {
      for (ToolTurn turn : toolTurns) {
        if (turn.afterRepairs() == i) {
          out.add(turn);
        }
      }
      if (i < repairs.size()) {
        out.add(repairs.get(i));
      }
    }
    return out;
  }

  /** One exchange after the user prompt: a re-ask ({@link Repair}) or a tool round ({@link ToolTurn}). */
  public sealed interface Turn permits Repair, ToolTurn {}

  /** The prompts and schema without the prompts' text (they are customer text). */
  @Override
  public String toString() {
    return "ModelRequest[task=" + task + ", model=" + model + ", repairs=" + repairs.size() + ", retryCount=" + retryCount
        + (sampling.isEmpty() ? "" : ", sampling=" + sampling) + ", headers=" + headers.keySet()
        + (tools.isEmpty() ? "" : ", tools=" + tools.size() + ", toolTurns=" + toolTurns.size()) + "]";
  }

  /**
   * An earlier answer the runtime rejected, and the feedback sent back with the re-ask.
   *
   * @param answer the model's answer text as received
   * @param feedback what was wrong with it
   */
  public record Repair(String answer, String feedback) implements Turn {
    /** Leaves out the answer and the feedback (they may quote customer text). */
    @Override
    public String toString() {
      return "Repair[…]";
    }

    /** The user turn that re-asks the model, the same for every provider. */
    public String instruction() {
      return "Your previous answer was rejected: " + feedback
          + "\nAnswer again with JSON that satisfies the schema and fixes these problems.";
    }
  }

  /**
   * A tool the model may call.
   *
   * @param name the tool's name
   * @param description what it does, for the model
   * @param parameters its arguments' JSON Schemas per dialect
   */
  public record ToolDefinition(String name, String description, OutputSchema parameters) {
    public ToolDefinition {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(parameters, "parameters");
      description = description == null ? "" : description;
    }
  }

  /**
   * One model turn that asked for tools, and what the tools answered.
   *
   * @param afterRepairs how many re-asks preceded the turn: the providers put it after that many
   *     repairs in the conversation
   * @param calls the tool calls the model made, as it made them
   * @param results one result per call, in the same order
   */
  public record ToolTurn(int afterRepairs, List<ModelReply.ToolCall> calls, List<ToolResult> results) implements Turn {
    public ToolTurn {
      calls = List.copyOf(calls);
      results = List.copyOf(results);
    }

    /** Leaves out the arguments and results (customer text). */
    @Override
    public String toString() {
      return "ToolTurn[calls=" + calls.size() + "]";
    }
  }

  /**
   * What one tool call answered.
   *
   * @param callId the provider's id of the call it answers
   * @param content the result as JSON, or the error message
   * @param error true when {@code content} is an error (invalid arguments, refused, failed)
   */
  public record ToolResult(String callId, String content, boolean error) {
    /** Leaves out the content (customer text). */
    @Override
    public String toString() {
      return "ToolResult[" + callId + (error ? " error" : "") + "]";
    }
  }
}
