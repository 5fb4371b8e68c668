package dev.llmtask.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;

/**
 * A {@code @SystemPrompt} or {@code @UserPrompt} as read from the source.
 *
 * @param mirror the annotation, for error locations
 * @param template the parsed text; empty when {@code problem} is set
 * @param problem why the text could not be read (missing resource, both or neither of value/resource), or null
 * @param problemValue the attribute the problem is about, or null
 */
public record PromptModel(AnnotationMirror mirror, PromptTemplate template, String problem, AnnotationValue problemValue) {}
