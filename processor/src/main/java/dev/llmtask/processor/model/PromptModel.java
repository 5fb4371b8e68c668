package dev.llmtask.processor.model;

import javax.lang.model.element.AnnotationMirror;

/**
 * A {@code @SystemPrompt} or {@code @UserPrompt} as read from the source.
 *
 * @param mirror the annotation, for error locations
 * @param template the parsed text, or null when it could not be read (the reader returned why)
 */
public record PromptModel(AnnotationMirror mirror, PromptTemplate template) {
  /** Whether the text was read, so its placeholders can be checked. */
  public boolean readable() {
    return template != null;
  }
}
