package dev.llmtask.budget;

import java.time.Instant;

/**
 * An amount a {@link BudgetStore} set aside in one budget window for one attempt, until it is settled.
 *
 * @param key the window's key, e.g. {@code tenant:acme|day 2026-12-02}
 * @param id the reservation's id, unique in the store
 * @param at when it was made (a rolling window counts it from then)
 * @param amount what was reserved
 * @param total the window's spend with this reservation, as the store saw it
 */
public record BudgetReservation(String key, String id, Instant at, Spend amount, Spend total) {}
