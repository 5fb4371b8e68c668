package dev.llmtask.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesUseTheNearestRank() {
    long[] samples = new long[100];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = 100 - i; // unsorted on purpose
    }
    assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
    assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
    assertThat(Stats.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void noSamplesIsAnError() {
    assertThatThrownBy(() -> Stats.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
