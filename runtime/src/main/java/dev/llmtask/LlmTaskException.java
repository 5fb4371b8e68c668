package dev.llmtask;

import java.util.Objects;

/**
 * The one exception a task call throws. {@link #status()} says how it ended and {@link #record()}
 * holds the call's telemetry record, which was also delivered to the sinks.
 * The message names the task, the status and the reason, never a prompt, an answer or a secret.
 */
public class LlmTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient CallRecord record;

  public LlmTaskException(CallRecord record) {
    this(record, null);
  }

  public LlmTaskException(CallRecord record, Throwable cause) {
    super(messageOf(Objects.requireNonNull(record, "record")), cause);
    this.record = record;
  }

  /** How the call ended; never {@link CallStatus#OK}. */
  public CallStatus status() {
    return record.status();
  }

  /** The call's telemetry record. */
  public CallRecord record() {
    return record;
  }

  private static String messageOf(CallRecord r) {
    StringBuilder b = new StringBuilder(128)
        .append(r.task()).append(" ended ").append(r.status())
        .append(" after ").append(r.attempts()).append(r.attempts() == 1 ? " attempt" : " attempts")
        .append(" in ").append(r.latencyMs()).append(" ms");
    if (r.failureReason() != null) {
      b.append(": ").append(r.failureReason());
    }
    return b.append(" [trace_id=").append(r.traceId()).append(']').toString();
  }
}
