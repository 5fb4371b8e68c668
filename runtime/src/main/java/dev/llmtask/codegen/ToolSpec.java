package dev.llmtask.codegen;

import java.util.Objects;

/**
 * Everything the processor knows at compile time about one {@link dev.llmtask.tool.Tool} method:
 * its name, description, whether it is an action, the JSON Schemas of its arguments, their decoder
 * and a reflection-free invoker. Generated code holds them in a {@link ToolSet}.
 *
 * @param <I> the tools interface
 * @param <A> the arguments record ({@code Void} for a tool without arguments)
 * @param name the tool's name on the wire ({@code a-zA-Z0-9_-}, at most 64 chars)
 * @param description what the tool does, for the model
 * @param action whether it has side effects (runs once per call key, after authorization)
 * @param arguments the arguments' schemas per dialect, named like the tool
 * @param decoder decodes the model's arguments; {@code null} for a tool without arguments
 * @param invoker calls the tool on the application's implementation
 */
public record ToolSpec<I, A>(String name, String description, boolean action, OutputSchema arguments,
    OutputDecoder<A> decoder, Invoker<I, A> invoker) {

  public ToolSpec {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(invoker, "invoker");
  }

  /** Calls one tool method; generated code implements it with a lambda. */
  @FunctionalInterface
  public interface Invoker<I, A> {
    /** Runs the tool on {@code tools} with the decoded {@code arguments} ({@code null} when it has none). */
    Object invoke(I tools, A arguments) throws Exception;
  }

  @Override
  public String toString() {
    return "ToolSpec[" + name + (action ? " action" : "") + "]";
  }
}
