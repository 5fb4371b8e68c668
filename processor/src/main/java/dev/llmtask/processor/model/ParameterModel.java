package dev.llmtask.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A task method parameter.
 *
 * @param traceId the {@code @TraceId} annotation, or null
 * @param idempotencyKey the {@code @IdempotencyKey} annotation, or null
 * @param tenant the {@code @Tenant} annotation, or null
 * @param callOptions whether its type is {@code dev.llmtask.CallOptions}
 * @param string whether its type is {@code java.lang.String}
 */
public record ParameterModel(
    VariableElement element,
    String name,
    TypeMirror type,
    AnnotationMirror traceId,
    AnnotationMirror idempotencyKey,
    AnnotationMirror tenant,
    boolean callOptions,
    boolean string) {

  /** A parameter that must be rendered into a prompt (not trace id, idempotency key, tenant or call options). */
  public boolean plain() {
    return traceId == null && idempotencyKey == null && tenant == null && !callOptions;
  }

  /** A parameter a prompt may use: a plain one, or the tenant (which need not be used). */
  public boolean promptable() {
    return plain() || (tenant != null && traceId == null && idempotencyKey == null);
  }
}
