package dev.llmtask.processor.tool;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A tools interface: its {@code @Tool} methods.
 *
 * @param type the interface
 * @param tools its tools, in declaration order
 * @param hasErrorTypes whether a type could not be resolved yet (generation waits)
 */
public record ToolsModel(TypeElement type, List<ToolModel> tools, boolean hasErrorTypes) {
  /** {@code Outer.RotationTools} → {@code Outer_RotationTools_LlmTools}. */
  public static String generatedSimpleName(TypeElement type) {
    String task = dev.llmtask.processor.model.ModelReader.generatedSimpleName(type);
    return task.substring(0, task.length() - "_LlmTask".length()) + "_LlmTools";
  }

  public boolean hasAction() {
    return tools.stream().anyMatch(ToolModel::action);
  }
}
