package dev.llmtask;

/**
 * Receives one {@link CallRecord} per call, on success and on every failure.
 * A sink that throws does not break the call; the runtime logs the sink's failure and goes on.
 */
@FunctionalInterface
public interface TelemetrySink {
  /** Called once per finished call, on the thread that finished it. Keep it fast. */
  void accept(CallRecord record);

  /**
   * A sink writing {@link CallRecord#toLogLine()} to the SLF4J logger {@code dev.llmtask.calls}: at
   * INFO for a call that ended {@link CallStatus#OK}, at WARN for any other status.
   */
  static TelemetrySink slf4j() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("dev.llmtask.calls");
    return record -> {
      if (record.ok()) {
        log.info("{}", record.toLogLine());
      } else {
        log.warn("{}", record.toLogLine());
      }
    };
  }
}
