package dev.llmtask.internal.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the deadlines (and stream idle timers) of the calls in flight with one coarse tick,
 * instead of a timer task per call: scheduling and cancelling a task per call wakes the scheduler
 * thread twice per call, which on a busy runtime cost more than the rest of the pipeline. A call
 * ends at most one tick ({@value #TICK_MS} ms) after its deadline. The tick runs only while calls
 * are in flight.
 */
final class CallTicker {
  static final long TICK_MS = 10;

  private final Set<CallState<?>> active = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean ticking = new AtomicBoolean();

  CallTicker(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  void watch(CallState<?> call) {
    active.add(call);
    startIfIdle();
  }

  void forget(CallState<?> call) {
    active.remove(call);
  }

  private void startIfIdle() {
    if (ticking.compareAndSet(false, true)) {
      scheduler.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    long now = System.nanoTime();
    for (CallState<?> call : active) {
      try {
        call.onTick(now);
      } catch (RuntimeException e) {
        // a failing call must not stop the others' timers; it has already ended itself
        active.remove(call);
      }
    }
    if (active.isEmpty()) {
      ticking.set(false);
      if (!active.isEmpty()) { // a call arrived while stopping
        startIfIdle();
      }
    } else {
      scheduler.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }
}
