package dev.llmtask.processor.tool;

import dev.llmtask.processor.model.OutputModel;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * One {@code @Tool} method.
 *
 * @param method the method
 * @param name the tool's name on the wire
 * @param description what it does, for the model
 * @param action whether it has side effects ({@code @Tool(action = true)})
 * @param argumentsType its one record parameter, or null when it takes none
 * @param arguments the arguments record read as an answer type (its schema), or null when it takes none
 */
public record ToolModel(ExecutableElement method, String name, String description, boolean action,
    TypeMirror argumentsType, OutputModel arguments) {}
