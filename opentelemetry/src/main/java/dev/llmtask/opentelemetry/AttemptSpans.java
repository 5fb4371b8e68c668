package dev.llmtask.opentelemetry;

import static dev.llmtask.opentelemetry.GenAiAttributes.*;

import dev.llmtask.CallStatus;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.Deadline;
import dev.llmtask.spi.ExchangeInterceptor;
import dev.llmtask.spi.TaskCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A client span per provider attempt, child of its call's span, named and attributed after the
 * GenAI conventions; the request carries the attempt's {@code traceparent}. It sees every retry
 * and re-ask, since exchange interceptors run once per attempt.
 */
final class AttemptSpans implements ExchangeInterceptor {
  private static final TextMapSetter<Map<String, String>> HEADERS = (carrier, name, value) -> carrier.put(name, value);
  private final Tracer tracer;
  private final Function<String, CallSpan> calls;

  AttemptSpans(Tracer tracer, Function<String, CallSpan> calls) {
    this.tracer = tracer;
    this.calls = calls;
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    String key = chain.attributes().get(LlmTaskAttributes.RECORD_OTEL_SPAN_ID);
    CallSpan call = key == null ? null : calls.apply(key);
    if (call == null) { // the call is not traced (no SDK, or the tracing call link is not registered)
      return chain.proceed(chain.request());
    }
    TaskCall task = chain.call();
    ModelRequest request = chain.request();
    int fallbackIndex = call.attemptStarts(task, request, chain.attempt());
    var span = tracer.spanBuilder(OPERATION_CHAT + " " + request.model())
        .setSpanKind(SpanKind.CLIENT)
        .setParent(call.context)
        .setAttribute(OPERATION_NAME, OPERATION_CHAT)
        .setAttribute(PROVIDER_NAME, task.provider())
        .setAttribute(REQUEST_MODEL, request.model())
        .setAttribute(REQUEST_MAX_TOKENS, (long) request.maxOutputTokens())
        .setAttribute(OUTPUT_TYPE, "json")
        .setAttribute(LlmTaskAttributes.TASK, task.task())
        .setAttribute(LlmTaskAttributes.ATTEMPT, (long) chain.attempt())
        .setAttribute(LlmTaskAttributes.RETRY, (long) request.retryCount())
        .setAttribute(LlmTaskAttributes.REASK, (long) request.repairs().size())
        .setAttribute(LlmTaskAttributes.FALLBACK_INDEX, (long) fallbackIndex)
        .startSpan();
    if (task.mode() == TaskCall.Mode.STREAM) {
      span.setAttribute(REQUEST_STREAM, true);
    }
    CompletionStage<ModelReply> reply;
    try {
      reply = chain.proceed(withTraceparent(span, request));
    } catch (RuntimeException e) {
      ended(call, span, null, e, false);
      throw e;
    }
    Deadline deadline = chain.deadline();
    return reply.whenComplete((answer, failure) -> ended(call, span, answer, failure, deadline.expired()));
  }

  /** The request with the W3C {@code traceparent} of the attempt's span (and {@code tracestate} when set). */
  private static ModelRequest withTraceparent(Span span, ModelRequest request) {
    Map<String, String> headers = new LinkedHashMap<>(2);
    W3CTraceContextPropagator.getInstance().inject(io.opentelemetry.context.Context.root().with(span), headers, HEADERS);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      request = request.withHeader(h.getKey(), h.getValue());
    }
    return request;
  }

  /** Ends the attempt's span; an attempt cancelled because the call's deadline passed ended in a timeout. */
  private static void ended(CallSpan call, Span span, ModelReply reply, Throwable failure, boolean deadlinePassed) {
    if (reply != null) {
      call.attemptEnded(CallStatus.OK);
      span.setAttribute(USAGE_INPUT_TOKENS, reply.usage().inputTokens());
      span.setAttribute(USAGE_OUTPUT_TOKENS, reply.usage().outputTokens());
      span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, reply.usage().cachedInputTokens());
      span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finishReason(reply.finish())));
      if (reply.responseId() != null) {
        span.setAttribute(RESPONSE_ID, reply.responseId());
      }
      if (reply.responseModel() != null) {
        span.setAttribute(RESPONSE_MODEL, reply.responseModel());
      }
      if (reply.requestId() != null) {
        span.setAttribute(LlmTaskAttributes.REQUEST_ID, reply.requestId());
      }
    } else {
      Throwable t = failure;
      while (t instanceof CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      String type;
      if (t instanceof ProviderException pe) {
        type = pe.status().wireName();
        call.attemptEnded(pe.status());
        if (pe.httpStatus() > 0) {
          span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) pe.httpStatus());
        }
      } else if (t instanceof CancellationException) {
        CallStatus status = deadlinePassed ? CallStatus.TIMEOUT : CallStatus.CANCELLED;
        type = status.wireName();
        call.attemptEnded(status);
      } else {
        type = t.getClass().getName(); // the class, never the message
        call.attemptEnded(CallStatus.PROVIDER_ERROR);
      }
      span.setAttribute(ERROR_TYPE, type);
      span.setStatus(StatusCode.ERROR, type);
    }
    span.end();
  }

  /** The finish reason in the words of the OpenAI API, the most common in the conventions' examples. */
  private static String finishReason(ModelReply.Finish finish) {
    return switch (finish) {
      case COMPLETE -> "stop";
      case TRUNCATED -> "length";
      case REFUSED -> "refusal";
      case FILTERED -> "content_filter";
    };
  }
}
