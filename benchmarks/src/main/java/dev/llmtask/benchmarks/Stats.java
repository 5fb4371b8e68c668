package dev.llmtask.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Order statistics over measured samples. */
public final class Stats {
  private Stats() {}

  /** The {@code p}-th percentile (0–100, nearest rank) of {@code samples}. */
  public static double percentile(long[] samples, double p) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
