package dev.llmtask.internal.call;

import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.OutputValidator;
import dev.llmtask.internal.telemetry.Fingerprints;
import dev.llmtask.internal.telemetry.TelemetryDispatcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs task calls: a synchronous call on the caller's thread with blocking exchanges
 * ({@link SyncCall}), an async call without holding any thread while it waits ({@link CallRun}),
 * a streamed call over server-sent events ({@link StreamRun}). All share the policies of
 * {@link CallLifecycle}: Failsafe retries, the deadline, checks, re-asks and one record per call.
 */
public final class TaskExecutor {
  private final RuntimeSettings settings;
  final OutputValidator validator = new OutputValidator();
  final TelemetryDispatcher telemetry;
  final Fingerprints fingerprints;
  final Backoff backoff;
  /** Schedules retries, timeouts and stream watchdogs; never blocks, so two threads serve any number of calls. */
  final ScheduledExecutorService scheduler;
  /** Failsafe's view of it: attempts due now run on the calling thread. */
  final InlineFirstScheduler failsafeScheduler;
  /** Watches the deadlines and stream idle timers of the calls in flight. */
  final CallTicker ticker;

  public TaskExecutor(RuntimeSettings settings) {
    this.settings = settings;
    this.telemetry = new TelemetryDispatcher(settings.sinks());
    this.fingerprints = settings.fingerprintKey() == null ? null : new Fingerprints(settings.fingerprintKey());
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "llmtask-scheduler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true); // a cancelled retry delay leaves the queue at once
    this.scheduler = pool;
    this.failsafeScheduler = new InlineFirstScheduler(pool);
    this.ticker = new CallTicker(pool);
  }

  public RuntimeSettings settings() {
    return settings;
  }

  /** Runs one call and waits for it; failures throw {@link dev.llmtask.LlmTaskException} with the caller's stack. */
  public <T> LlmResult<T> call(TaskSpec<T> spec, Invocation<T> invocation) {
    return new SyncCall<>(this, spec, invocation).run();
  }

  /**
   * Runs one call without blocking. The future fails with {@link dev.llmtask.LlmTaskException}; cancelling it
   * cancels the HTTP exchange and records the call {@link dev.llmtask.CallStatus#CANCELLED}.
   */
  public <T> CompletableFuture<LlmResult<T>> callAsync(TaskSpec<T> spec, Invocation<T> invocation) {
    return new CallRun<>(this, spec, invocation).start();
  }

  /** Starts a streamed call. */
  public <T> LlmStream<T> stream(TaskSpec<T> spec, Invocation<T> invocation) {
    return new StreamRun<>(this, spec, invocation).start();
  }
}
