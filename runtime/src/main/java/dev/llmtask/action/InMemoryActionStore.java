package dev.llmtask.action;

import dev.llmtask.action.ActionEntry.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link ActionStore} in this JVM's memory: for tests and for single-instance applications.
 * Entries vanish with the process, so a restarted application may run an action again; use
 * {@link JdbcActionStore} when that matters or when several instances share the work. Expired
 * entries are removed when their key is claimed again.
 */
public final class InMemoryActionStore implements ActionStore {
  private final ConcurrentMap<Id, Slot> slots = new ConcurrentHashMap<>();
  private final Clock clock;

  /** A store on the system clock. */
  public InMemoryActionStore() {
    this(Clock.systemUTC());
  }

  /** A store whose leases and retention follow {@code clock}, e.g. a controllable clock in tests. */
  public InMemoryActionStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ActionEntry claim(String action, String key, String fingerprint, String owner, Duration lease) {
    Instant now = clock.instant();
    return slots.compute(new Id(action, key), (id, slot) -> {
      if (slot == null) {
        return new Slot(new ActionEntry(owner, fingerprint, State.CLAIMED, null, null), now.plus(lease), null);
      }
      if (!slot.free(fingerprint, now)) {
        return slot;
      }
      ActionEntry old = slot.entry();
      boolean takeover = old.state() == State.CLAIMED;
      return new Slot(new ActionEntry(owner, fingerprint, State.CLAIMED, null, null, old.fence() + 1, takeover,
          takeover ? old.checkpoint() : null), now.plus(lease), null);
    }).entry();
  }

  @Override
  public boolean release(String action, String key, String owner) {
    Instant now = clock.instant();
    boolean[] released = {false};
    slots.computeIfPresent(new Id(action, key), (id, slot) -> {
      released[0] = slot.entry().claimedBy(owner);
      if (!released[0]) {
        return slot;
      }
      // with a checkpoint, end the lease instead: the next caller takes over and sees it
      return slot.entry().checkpoint() == null ? null : new Slot(slot.entry(), now.minusMillis(1), null);
    });
    return released[0];
  }

  @Override
  public boolean checkpoint(String action, String key, String owner, String checkpoint) {
    boolean[] recorded = {false};
    slots.computeIfPresent(new Id(action, key), (id, slot) -> {
      ActionEntry e = slot.entry();
      recorded[0] = e.claimedBy(owner);
      return recorded[0] ? new Slot(new ActionEntry(e.owner(), e.fingerprint(), e.state(), null, null, e.fence(),
          e.takenOver(), checkpoint), slot.leaseUntil(), slot.expiresAt()) : slot;
    });
    return recorded[0];
  }

  @Override
  public boolean finish(String action, String key, String owner, State outcome, String detail, Duration retention) {
    ActionEntry.requireFinished(outcome);
    Instant now = clock.instant();
    boolean[] finished = {false};
    slots.computeIfPresent(new Id(action, key), (id, slot) -> {
      finished[0] = slot.entry().claimedBy(owner);
      return finished[0]
          ? new Slot(new ActionEntry(owner, slot.entry().fingerprint(), outcome,
              outcome == State.COMPLETED ? detail : null, outcome == State.FAILED ? detail : null,
              slot.entry().fence(), slot.entry().takenOver(), slot.entry().checkpoint()), slot.leaseUntil(),
              retention == null ? null : now.plus(retention))
          : slot;
    });
    return finished[0];
  }

  private record Id(String action, String key) {}

  /** An entry with its deadlines; {@code expiresAt} is {@code null} while claimed and for "keep forever". */
  private record Slot(ActionEntry entry, Instant leaseUntil, Instant expiresAt) {
    /** The same rule as the JDBC store's claim statement. */
    boolean free(String fingerprint, Instant now) {
      return entry.state() == State.CLAIMED
          ? leaseUntil.isBefore(now) && entry.fingerprint().equals(fingerprint)
          : expiresAt != null && expiresAt.isBefore(now);
    }
  }
}
