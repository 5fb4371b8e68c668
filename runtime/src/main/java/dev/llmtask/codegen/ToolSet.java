package dev.llmtask.codegen;

import java.util.List;
import java.util.Objects;

/**
 * The tools of one tools interface, generated as {@code <Interface>_LlmTools.TOOLS} and named by the
 * {@link TaskSpec} of every task that may use them.
 *
 * @param <I> the tools interface
 * @param type the tools interface
 * @param tools its tools, in declaration order
 */
public record ToolSet<I>(Class<I> type, List<ToolSpec<I, ?>> tools) {
  public ToolSet {
    Objects.requireNonNull(type, "type");
    tools = List.copyOf(tools);
  }

  /** A set of the given tools. */
  @SafeVarargs
  public static <I> ToolSet<I> of(Class<I> type, ToolSpec<I, ?>... tools) {
    return new ToolSet<>(type, List.of(tools));
  }

  /** True when one of the tools is an action. */
  public boolean hasAction() {
    for (ToolSpec<I, ?> t : tools) {
      if (t.action()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ToolSet[" + type.getName() + " " + tools.stream().map(ToolSpec::name).toList() + "]";
  }
}
