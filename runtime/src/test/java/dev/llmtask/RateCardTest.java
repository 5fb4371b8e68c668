package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RateCardTest {
  @Test
  void seedExampleCosts98HundredThousandthsOfADollar() {
    RateCard card = RateCard.builder().model("gpt-4o-mini", new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6")).build();
    assertThat(card.cost("gpt-4o-mini", 250, 0, 80)).isEqualByComparingTo("0.00098");
  }

  @Test
  void cachedInputTokensAreBilledAtTheCachedRate() {
    RateCard card = RateCard.builder().model("m", new BigDecimal("2"), new BigDecimal("0.5"), new BigDecimal("6")).build();
    // 1000 input of which 600 cached: 400*2 + 600*0.5 = 1100 micro-dollars
    assertThat(card.cost("m", 1000, 600, 0)).isEqualByComparingTo("0.0011");
  }

  @Test
  void unknownModelsCostZeroUnlessADefaultRateIsSet() {
    assertThat(RateCard.none().cost("x", 1000, 0, 1000)).isEqualByComparingTo("0");
    assertThat(RateCard.illustrative().cost("anything", 250, 0, 80)).isEqualByComparingTo("0.00098");
  }

  @Test
  void negativeRatesAreRejected() {
    assertThatThrownBy(() -> RateCard.builder().model("m", new BigDecimal("-1"), BigDecimal.ONE, BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
  }
}
