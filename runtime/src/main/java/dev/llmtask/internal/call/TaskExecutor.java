package dev.llmtask.internal.call;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.OutputValidator;
import dev.llmtask.internal.telemetry.Fingerprints;
import dev.llmtask.internal.telemetry.TelemetryDispatcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs task calls. Every call is non-blocking ({@code HttpClient.sendAsync}, retries and timeouts
 * by Failsafe on a small scheduler); a synchronous call waits for it on the caller's thread and
 * cancels it if that thread is interrupted.
 */
public final class TaskExecutor {
  private final RuntimeSettings settings;
  final OutputValidator validator = new OutputValidator();
  final TelemetryDispatcher telemetry;
  final Fingerprints fingerprints;
  final Backoff backoff;
  /** Schedules retries, timeouts and stream watchdogs; never blocks, so two threads serve any number of calls. */
  final ScheduledExecutorService scheduler;

  public TaskExecutor(RuntimeSettings settings) {
    this.settings = settings;
    this.telemetry = new TelemetryDispatcher(settings.sinks());
    this.fingerprints = settings.fingerprintKey() == null ? null : new Fingerprints(settings.fingerprintKey());
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "llmtask-scheduler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public RuntimeSettings settings() {
    return settings;
  }

  /** Runs one call and waits for it; failures throw {@link LlmTaskException} with the caller's stack. */
  public <T> LlmResult<T> call(TaskSpec<T> spec, Invocation<T> invocation) {
    CallRun<T> run = new CallRun<>(this, spec, invocation);
    return await(run.start(), run::cancelled);
  }

  /**
   * Runs one call without blocking. The future fails with {@link LlmTaskException}; cancelling it
   * cancels the HTTP exchange and records the call {@link dev.llmtask.CallStatus#CANCELLED}.
   */
  public <T> CompletableFuture<LlmResult<T>> callAsync(TaskSpec<T> spec, Invocation<T> invocation) {
    return new CallRun<>(this, spec, invocation).start();
  }

  /** Starts a streamed call. */
  public <T> LlmStream<T> stream(TaskSpec<T> spec, Invocation<T> invocation) {
    return new StreamRun<>(this, spec, invocation).start();
  }

  /**
   * Waits for a call's result on the caller's thread. An interrupt cancels the call; a failure is
   * rethrown as a fresh {@link LlmTaskException}, so its stack trace shows the caller.
   */
  static <T> LlmResult<T> await(CompletableFuture<LlmResult<T>> future, Supplier<CallRecord> cancel) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmTaskException(cancel.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LlmTaskException failed) {
        throw new LlmTaskException(failed.record(), failed.getCause());
      }
      throw new IllegalStateException("a task call failed unexpectedly", e.getCause());
    }
  }
}
