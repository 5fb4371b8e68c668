package dev.llmtask.processor.model;

import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * One abstract method of a task interface.
 *
 * @param taskName the effective task name (explicit or snake_case of the method name)
 * @param explicitName the {@code name} attribute when given, for error locations
 * @param system the system prompt, or null
 * @param user the user prompt, or null when missing (an error)
 * @param shape the return shape, or null when the return type is not supported
 * @param resultType the task's value type {@code T} (boxed when primitive), or null when the return type is
 *     not supported
 * @param output the answer type, or null when it or a type inside it is not supported (the reader returned why)
 * @param hasErrorTypes whether a type could not be resolved yet (javac reports it; generation waits)
 */
public record TaskMethodModel(
    ExecutableElement element,
    String methodName,
    String taskName,
    Attr<String> explicitName,
    Attr<String> promptVersion,
    Attr<String> model,
    Attr<String> timeout,
    Attr<Integer> maxRetries,
    Attr<Integer> repairs,
    PromptModel system,
    PromptModel user,
    List<ParameterModel> parameters,
    CallShape shape,
    TypeMirror resultType,
    OutputModel output,
    boolean hasErrorTypes) {}
