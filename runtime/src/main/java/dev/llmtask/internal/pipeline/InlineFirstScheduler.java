package dev.llmtask.internal.pipeline;

import dev.failsafe.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Failsafe's scheduler for task calls: work due now (the first attempt) runs on the calling thread,
 * which only starts a non-blocking HTTP exchange; only delayed work (a retry after its backoff)
 * goes to the shared scheduler. This saves a thread hand-off on every call.
 */
final class InlineFirstScheduler implements Scheduler {
  private final ScheduledExecutorService delayed;

  InlineFirstScheduler(ScheduledExecutorService delayed) {
    this.delayed = delayed;
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    if (delay > 0) {
      return delayed.schedule(callable, delay, unit);
    }
    Ran<?> ran = new Ran<>(callable);
    ran.run();
    return ran;
  }

  /** A task that has already run: done, never delayed, not cancellable. */
  private static final class Ran<V> extends FutureTask<V> implements ScheduledFuture<V> {
    Ran(Callable<V> callable) {
      super(callable);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
