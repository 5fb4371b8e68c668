package dev.llmtask.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Over what time a {@link Budget}'s limit holds: a calendar day or month in UTC (the count starts
 * again at midnight UTC, or on the first of the month), or a rolling window of the last given duration.
 */
public final class BudgetPeriod {
  /** The calendar day, UTC. */
  public static final BudgetPeriod DAY = new BudgetPeriod("day", null);
  /** The calendar month, UTC. */
  public static final BudgetPeriod MONTH = new BudgetPeriod("month", null);

  private final String name;
  private final Duration window;

  private BudgetPeriod(String name, Duration window) {
    this.name = name;
    this.window = window;
  }

  /**
   * The spend of the last {@code window}, e.g. {@code rolling(Duration.ofHours(1))}.
   *
   * @throws IllegalArgumentException when the window is shorter than a second
   */
  public static BudgetPeriod rolling(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("a rolling budget window must be at least 1 s, was " + window);
    }
    return new BudgetPeriod("rolling " + window, window);
  }

  /** The rolling window, or {@code null} for a calendar period. */
  public Duration rollingWindow() {
    return window;
  }

  /** The name of the period that holds {@code now}: {@code day 2026-12-02}, {@code month 2026-12} or {@code rolling PT1H}. */
  public String windowAt(Instant now) {
    if (window != null) {
      return name;
    }
    ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
    return this == DAY ? name + " " + utc.toLocalDate() : name + " " + utc.getYear() + "-" + String.format("%02d", utc.getMonthValue());
  }

  /** When the period holding {@code now} ends (for a rolling window: when a spend made now leaves it). */
  public Instant endAfter(Instant now) {
    if (window != null) {
      return now.plus(window);
    }
    ZonedDateTime day = now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC);
    return (this == DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1)).toInstant();
  }

  @Override
  public String toString() {
    return name;
  }
}
