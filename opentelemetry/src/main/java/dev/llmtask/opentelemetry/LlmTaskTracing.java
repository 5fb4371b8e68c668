package dev.llmtask.opentelemetry;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.TelemetrySink;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import dev.llmtask.spi.TaskCall;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenTelemetry traces of every task call of a runtime, after the GenAI semantic conventions
 * (v{@value GenAiAttributes#SEMCONV_VERSION}): a span {@code llmtask <task>} per call, a child
 * client span {@code chat <model>} per provider attempt, retries, re-asks and fallbacks as events on
 * the call span, and the attempt's W3C {@code traceparent} on each provider request. Prompts,
 * answers, refusal texts and failure reasons are never captured.
 *
 * <p>The call span's parent is the context current when the call starts (a server span, say). A
 * call's {@link CallRecord} carries the span's ids in its attributes
 * {@value LlmTaskAttributes#RECORD_OTEL_TRACE_ID} and {@value LlmTaskAttributes#RECORD_OTEL_SPAN_ID},
 * and the span carries the record's trace id as {@code llmtask.trace_id}, so either finds the other.
 *
 * <pre>{@code
 * LlmTaskTracing tracing = LlmTaskTracing.create(openTelemetry);
 * LlmRuntime runtime = tracing.register(LlmRuntime.builder().provider(provider)).build();
 * }</pre>
 */
public final class LlmTaskTracing {
  /** The instrumentation scope of the spans. */
  public static final String SCOPE = "dev.llmtask";

  private final Tracer tracer;
  /** The spans of the calls in flight, by span id; the call's record removes its own. */
  private final Map<String, CallSpan> live = new ConcurrentHashMap<>();

  private LlmTaskTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Traces written through {@code openTelemetry}'s tracer provider. */
  public static LlmTaskTracing create(OpenTelemetry openTelemetry) {
    return new LlmTaskTracing(Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE));
  }

  /**
   * Adds this to {@code builder}: a call interceptor that opens the call span (added where the
   * builder's interceptors are so far: register first so that the span covers your own
   * interceptors), an exchange interceptor for the attempt spans and {@code traceparent}, and the
   * telemetry sink that ends the call span from the call's record. All three are needed; this is
   * the only way to add them.
   *
   * @return {@code builder}
   */
  public LlmRuntime.Builder register(LlmRuntime.Builder builder) {
    return builder.intercept(new CallSpans())
        .interceptExchanges(new AttemptSpans(tracer, live::get))
        .telemetry(new SpanEnds());
  }

  /** Opens the call span; a call that a link runs through again keeps its first span. */
  private final class CallSpans implements CallInterceptor {
    @Override
    public CompletionStage<Outcome> intercept(Chain chain) {
      String open = chain.attributes().get(LlmTaskAttributes.RECORD_OTEL_SPAN_ID);
      if (open != null && live.containsKey(open) || chain.deadline().expired()) {
        // traced already; or an earlier link waited past the deadline: the record is out, nothing would end a span
        return chain.proceed(chain.call());
      }
      TaskCall call = chain.call();
      Context parent = Context.current();
      Span span = tracer.spanBuilder("llmtask " + call.task())
          .setSpanKind(SpanKind.INTERNAL)
          .setParent(parent)
          .setAttribute(LlmTaskAttributes.TASK, call.task())
          .setAttribute(LlmTaskAttributes.PROMPT_VERSION, call.promptVersion())
          .setAttribute(LlmTaskAttributes.TRACE_ID, call.traceId())
          .setAttribute(LlmTaskAttributes.MODE, call.mode().name().toLowerCase(Locale.ROOT))
          .startSpan();
      SpanContext ids = span.getSpanContext();
      if (ids.isValid()) { // else no SDK is installed: there is nothing to record or end
        live.put(ids.getSpanId(), new CallSpan(span, parent.with(span)));
        chain.attributes().put(LlmTaskAttributes.RECORD_OTEL_TRACE_ID, ids.getTraceId());
        chain.attributes().put(LlmTaskAttributes.RECORD_OTEL_SPAN_ID, ids.getSpanId());
      }
      return chain.proceed(call);
    }
  }

  /** Ends a call's span from its record: every call ends with exactly one, whatever ended it. */
  private final class SpanEnds implements TelemetrySink {
    @Override
    public void accept(CallRecord record) {
      String key = record.attributes().get(LlmTaskAttributes.RECORD_OTEL_SPAN_ID);
      CallSpan span = key == null ? null : live.remove(key);
      if (span != null) {
        span.end(record);
      }
    }
  }
}
