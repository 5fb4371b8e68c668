package dev.llmtask.processor.model;

import javax.lang.model.element.ExecutableElement;

/** A {@code @Check} method of a task interface; validated by the checker. */
public record CheckMethodModel(ExecutableElement element, String name) {}
