package dev.llmtask.internal.pipeline;

import dev.llmtask.CallRecord;
import dev.llmtask.TelemetrySink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers each record to every sink; a failing sink is logged and never breaks the call. */
final class TelemetryDispatcher {
  /** Created on the first failure only: a fresh JVM's first call then spares the logging back end's start-up. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(TelemetryDispatcher.class);
  }

  private final List<TelemetrySink> sinks;

  TelemetryDispatcher(List<TelemetrySink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  void deliver(CallRecord record) {
    for (TelemetrySink sink : sinks) {
      try {
        sink.accept(record);
      } catch (RuntimeException e) {
        // The sink's own exception text is the sink author's; log only its type with the record's ids.
        Log.LOG.warn("telemetry sink {} failed with {} for task={} trace_id={}", sink.getClass().getName(),
            e.getClass().getName(), record.task(), record.traceId());
      }
    }
  }
}
