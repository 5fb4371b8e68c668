package dev.llmtask.jobs;

/**
 * How far a running job says it is, as it reported with {@link JobContext#progress(long, long)}.
 *
 * @param done the units done, from 0 to {@code total}
 * @param total the units in all, at least 1
 */
public record JobProgress(long done, long total) {
  /** @throws IllegalArgumentException unless {@code 0 <= done <= total} and {@code total >= 1} */
  public JobProgress {
    if (total < 1 || done < 0 || done > total) {
      throw new IllegalArgumentException("Progress is done of total units with 0 <= done <= total and total >= 1, was "
          + done + " of " + total);
    }
  }

  /** {@code done / total}, from 0.0 to 1.0. */
  public double fraction() {
    return (double) done / total;
  }
}
