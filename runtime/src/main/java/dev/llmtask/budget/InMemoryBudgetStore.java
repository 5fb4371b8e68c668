package dev.llmtask.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BudgetStore} in this process's memory: one runtime's budget (or several runtimes' that
 * share the instance). Windows whose period ended are dropped as new ones start.
 */
public final class InMemoryBudgetStore implements BudgetStore {
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile long nextSweepMillis;

  @Override
  public BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount, Spend limit) {
    sweep(now);
    Window w = windows.computeIfAbsent(key, k -> new Window());
    synchronized (w) {
      w.expiresAt = expiresAt.isAfter(w.expiresAt) ? expiresAt : w.expiresAt;
      w.prune(rolling, now);
      Spend total = w.total.plus(amount);
      if (!total.within(limit)) {
        return null;
      }
      String id = Long.toString(ids.incrementAndGet());
      w.total = total;
      if (rolling != null) {
        Entry e = new Entry(id, now, amount);
        w.entries.addLast(e);
        w.byId.put(id, e);
      }
      return new BudgetReservation(key, id, now, amount, total);
    }
  }

  @Override
  public Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now) {
    Window w = windows.get(reservation.key());
    if (w == null) {
      return Spend.ZERO; // its period ended and was dropped
    }
    synchronized (w) {
      w.prune(rolling, now);
      if (rolling == null) {
        w.total = w.total.plus(actual.minus(reservation.amount()));
      } else {
        Entry e = w.byId.get(reservation.id());
        if (e != null) { // else it already left the window
          w.total = w.total.plus(actual.minus(e.amount));
          e.amount = actual;
        }
      }
      return w.total;
    }
  }

  /** The spend counted in window {@code key} now (reservations included). */
  public Spend spent(String key, Duration rolling, Instant now) {
    Window w = windows.get(key);
    if (w == null) {
      return Spend.ZERO;
    }
    synchronized (w) {
      w.prune(rolling, now);
      return w.total;
    }
  }

  /** Drops ended windows, at most once a second. */
  private void sweep(Instant now) {
    long ms = now.toEpochMilli();
    if (ms < nextSweepMillis) {
      return;
    }
    nextSweepMillis = ms + 1000;
    windows.values().removeIf(w -> {
      synchronized (w) {
        return w.expiresAt.isBefore(now);
      }
    });
  }

  private static final class Window {
    Spend total = Spend.ZERO;
    Instant expiresAt = Instant.MIN;
    /** A rolling window's reservations in the order made; a calendar window keeps only its total. */
    final Deque<Entry> entries = new ArrayDeque<>();
    final Map<String, Entry> byId = new HashMap<>();

    void prune(Duration rolling, Instant now) {
      if (rolling == null) {
        return;
      }
      Instant from = now.minus(rolling);
      while (!entries.isEmpty() && !entries.peekFirst().at.isAfter(from)) {
        Entry e = entries.removeFirst();
        byId.remove(e.id);
        total = total.minus(e.amount);
      }
    }
  }

  private static final class Entry {
    final String id;
    final Instant at;
    Spend amount;

    Entry(String id, Instant at, Spend amount) {
      this.id = id;
      this.at = at;
      this.amount = amount;
    }
  }
}
