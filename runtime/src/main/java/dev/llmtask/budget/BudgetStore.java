package dev.llmtask.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * Where budget spend is counted. Every method must be atomic for every runtime sharing the store:
 * two reservations racing for the last of a limit cannot both succeed. The runtime keeps one in
 * memory ({@link InMemoryBudgetStore}); a shared store lets a fleet of instances keep one budget.
 */
public interface BudgetStore {
  /**
   * Reserves {@code amount} in the window {@code key} if the window's spend with it stays within
   * {@code limit} in both units.
   *
   * @param key the window: the budget's scope and its period's name ({@link BudgetPeriod#windowAt})
   * @param rolling for a rolling window its length (spend older than it no longer counts); {@code null} for a
   *     calendar period, whose key changes when the period does
   * @param expiresAt when the window's entries may be dropped
   * @return the reservation, or {@code null} when it would pass the limit (nothing is reserved then)
   */
  BudgetReservation reserve(String key, Duration rolling, Instant now, Instant expiresAt, Spend amount, Spend limit);

  /**
   * Replaces the reservation with the real spend ({@link Spend#ZERO} releases it); never refused.
   *
   * @return the window's spend afterwards
   */
  Spend settle(BudgetReservation reservation, Spend actual, Duration rolling, Instant now);

  /**
   * Marks that the alert of {@code threshold} was sent for the window {@code key}: true only the first
   * time, for every runtime sharing the store, so a fleet sends each alert once per window. The runtime
   * calls it once per threshold and window (it remembers its own marks); the default, for a store of
   * one process, always answers true.
   *
   * @param expiresAt when the mark may be dropped (the window's end)
   */
  default boolean markAlerted(String key, int threshold, Instant expiresAt) {
    return true;
  }

  /** Drops the mark of {@code threshold} for a rolling window whose spend fell back below it, so it may alert again. */
  default void clearAlert(String key, int threshold) {}
}
