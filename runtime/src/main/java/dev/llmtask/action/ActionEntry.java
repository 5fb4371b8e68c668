package dev.llmtask.action;

import java.util.Objects;

/**
 * One idempotency key's entry as an {@link ActionStore} holds it. Part of the store SPI: application
 * code reads results through {@link IdempotentActions}, not through entries.
 *
 * @param owner the token of the call that claimed the entry (a fresh random token per call)
 * @param fingerprint SHA-256 (hex) of the canonical JSON of the request the key was first used with
 * @param state where the action stands
 * @param result the stored result as JSON when {@link State#COMPLETED}, else {@code null}
 * @param failure the exception type recorded when {@link State#FAILED}, else {@code null}
 * @param fence grows by one with every claim of the key (1 for the first): the fencing token
 * @param takenOver true when the current claim took over a claim that stored no outcome
 * @param checkpoint the last checkpoint recorded for the key while claimed, or {@code null}
 */
public record ActionEntry(String owner, String fingerprint, State state, String result, String failure, long fence,
    boolean takenOver, String checkpoint) {

  /** Where an action stands. */
  public enum State {
    /** A caller holds the claim and is running the action (or died, until its lease expires). */
    CLAIMED,
    /** The action ran and its result is stored. */
    COMPLETED,
    /** The action failed in a way the application chose to record; it does not run again for this key. */
    FAILED
  }

  public ActionEntry {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(state, "state");
  }

  /** An entry of a first claim: fence 1, not taken over, no checkpoint. */
  public ActionEntry(String owner, String fingerprint, State state, String result, String failure) {
    this(owner, fingerprint, state, result, failure, 1, false, null);
  }

  /** True when {@code owner} holds the claim, i.e. the call with that token must run the action. */
  public boolean claimedBy(String owner) {
    return state == State.CLAIMED && this.owner.equals(owner);
  }

  /** For stores: rejects {@link State#CLAIMED} as the outcome of a finished action. */
  static void requireFinished(State outcome) {
    if (outcome != State.COMPLETED && outcome != State.FAILED) {
      throw new IllegalArgumentException("An action finishes COMPLETED or FAILED, not " + outcome);
    }
  }

  /** Leaves the stored result and the checkpoint out: they may hold customer data. */
  @Override
  public String toString() {
    return "ActionEntry[state=" + state + ", owner=" + owner + ", fingerprint=" + fingerprint + ", fence=" + fence
        + (takenOver ? ", takenOver" : "") + (failure == null ? "" : ", failure=" + failure) + "]";
  }
}
