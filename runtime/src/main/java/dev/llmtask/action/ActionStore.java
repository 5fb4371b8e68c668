package dev.llmtask.action;

import java.time.Duration;

/**
 * Where {@link IdempotentActions} keeps its claims and results. Built in: {@link InMemoryActionStore}
 * (one JVM) and {@link JdbcActionStore} (PostgreSQL, shared by every instance of the application).
 *
 * <p>Entries are identified by the pair (action, key). Every method must be atomic for that pair:
 * of any number of concurrent {@link #claim claims}, across threads and processes, at most one may
 * return an entry claimed by its own owner. {@code retention} is {@code null} to keep a finished
 * entry forever.
 */
public interface ActionStore {

  /**
   * Claims (action, key) for {@code owner} when there is no entry, when the entry is
   * {@link ActionEntry.State#CLAIMED claimed} with the same fingerprint and its lease has expired (its
   * owner is presumed dead), or when the entry finished and its retention has passed. Otherwise
   * leaves the entry alone. Every claim that wins adds one to the entry's {@link ActionEntry#fence
   * fence}; a claim that takes over an entry still {@link ActionEntry.State#CLAIMED claimed} keeps
   * its checkpoint and is {@link ActionEntry#takenOver taken over}, any other starts with none.
   *
   * @return the entry as it stands after the attempt: {@link ActionEntry#claimedBy claimedBy(owner)}
   *     tells whether this call won the claim
   */
  ActionEntry claim(String action, String key, String fingerprint, String owner, Duration lease);

  /**
   * Finishes the action that {@code owner} ran: {@link ActionEntry.State#COMPLETED} with its result
   * as JSON in {@code detail}, or {@link ActionEntry.State#FAILED} with the exception type name in
   * {@code detail}, so that it does not run again for this key.
   *
   * @return {@code false} when {@code owner} no longer holds the claim (its lease expired and another
   *     caller took it over); nothing is changed then
   * @throws IllegalArgumentException when {@code outcome} is {@link ActionEntry.State#CLAIMED}
   */
  boolean finish(String action, String key, String owner, ActionEntry.State outcome, String detail, Duration retention);

  /**
   * Drops the claim of {@code owner}, so that the next caller runs the action again. When a
   * checkpoint was recorded, the entry is kept with its lease ended instead, so that the next
   * caller takes it over and sees the checkpoint.
   *
   * @return {@code false} when {@code owner} no longer holds the claim; nothing is changed then
   */
  boolean release(String action, String key, String owner);

  /**
   * Records {@code checkpoint} on the entry {@code owner} holds claimed; a later takeover reads it.
   *
   * @return {@code false} when {@code owner} no longer holds the claim; nothing is changed then
   * @throws UnsupportedOperationException by default: a store that keeps no checkpoints
   */
  default boolean checkpoint(String action, String key, String owner, String checkpoint) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no checkpoints; use InMemoryActionStore"
        + " or JdbcActionStore, or implement ActionStore.checkpoint");
  }
}
