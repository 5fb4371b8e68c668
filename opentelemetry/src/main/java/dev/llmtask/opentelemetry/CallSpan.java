package dev.llmtask.opentelemetry;

import static dev.llmtask.opentelemetry.LlmTaskAttributes.*;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.spi.TaskCall;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The span of one task call while it runs: its attempts add their events here, and the call's
 * record ends it. Attempts of one call are sequential; the lock only guards against a link that
 * runs two at once.
 */
final class CallSpan {
  final Span span;
  /** The parent of the attempt spans. */
  final Context context;
  private final List<String> routes = new ArrayList<>(2); // guarded by this, in the order first asked
  private String lastRoute; // guarded by this
  private CallStatus lastOutcome; // guarded by this
  private int lastReasks; // guarded by this

  CallSpan(Span span, Context context) {
    this.span = span;
    this.context = context;
  }

  /**
   * An attempt begins: adds the retry, re-ask or fallback event it stands for to the call span.
   *
   * @return the attempt's fallback index: which route of the call it goes to, from 0
   */
  synchronized int attemptStarts(TaskCall call, ModelRequest request, int attempt) {
    String route = call.provider() + "/" + call.model();
    int index = routes.indexOf(route);
    if (index < 0) {
      routes.add(route);
      index = routes.size() - 1;
    }
    if (lastRoute != null) {
      String event = !route.equals(lastRoute) ? EVENT_FALLBACK
          : request.repairs().size() > lastReasks || lastOutcome == CallStatus.OK ? EVENT_REASK : EVENT_RETRY;
      AttributesBuilder a = Attributes.builder().put(ATTEMPT, attempt)
          .put(PREVIOUS_OUTCOME, lastOutcome == null ? "unknown" : lastOutcome.wireName());
      if (event.equals(EVENT_FALLBACK)) {
        a.put(GenAiAttributes.PROVIDER_NAME, call.provider()).put(FALLBACK_INDEX, index);
        if (call.model() != null) {
          a.put(GenAiAttributes.REQUEST_MODEL, call.model());
        }
      }
      span.addEvent(event, a.build());
    }
    lastRoute = route;
    lastReasks = request.repairs().size();
    lastOutcome = null;
    return index;
  }

  /** The attempt in flight ended with {@code outcome} ({@code OK} when an answer arrived). */
  synchronized void attemptEnded(CallStatus outcome) {
    lastOutcome = outcome;
  }

  /** Ends the span with what the call's record says. */
  void end(CallRecord record) {
    span.setAttribute(STATUS, record.status().wireName());
    span.setAttribute(ATTEMPTS, record.attempts());
    if (record.provider() != null) {
      span.setAttribute(PROVIDER, record.provider());
    }
    if (record.model() != null) {
      span.setAttribute(MODEL, record.model());
    }
    span.setAttribute(USAGE_INPUT_TOKENS, record.inputTokens());
    span.setAttribute(USAGE_OUTPUT_TOKENS, record.outputTokens());
    span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, record.cachedInputTokens());
    if (record.usageEstimated()) {
      span.setAttribute(USAGE_ESTIMATED, true);
    }
    if (record.costUsd() != null) {
      span.setAttribute(COST_USD, record.costUsd().doubleValue());
    }
    String cache = record.attributes().get(RECORD_CACHE);
    if (cache != null) {
      span.setAttribute(CACHE_STATUS, cache);
    }
    String firstDelta = record.attributes().get(CallRecord.FIRST_DELTA_MS);
    if (firstDelta != null) {
      try {
        span.setAttribute(FIRST_DELTA_MS, Long.parseLong(firstDelta));
      } catch (NumberFormatException ignored) {
        // written by the runtime as a number; nothing to add otherwise
      }
    }
    if (!record.ok()) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, record.status().wireName());
      span.setStatus(StatusCode.ERROR, record.status().wireName()); // the status, never the failure reason
    }
    span.end();
  }
}
