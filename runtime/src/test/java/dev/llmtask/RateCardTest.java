package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
  void anUnpricedModelHasAnUnknownCostAndOneWarningNamingIt() {
    ListAppender<ILoggingEvent> appender = logged(() -> {
      RateCard card = RateCard.builder().model("priced", BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE).build();
      assertThat(card.cost("unpriced-model-1", 1000, 0, 1000)).isNull();
      assertThat(card.cost("unpriced-model-1", 5, 0, 5)).isNull();
      assertThat(card.cost("unpriced-model-2", 5, 0, 5)).isNull();
      assertThat(card.cost("priced", 1_000_000, 0, 0)).isEqualByComparingTo("1");
    });
    assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("unpriced-model-1", "costUsd is null"))
        .anySatisfy(m -> assertThat(m).contains("unpriced-model-2"));
    assertThat(RateCard.illustrative().cost("anything", 250, 0, 80)).isEqualByComparingTo("0.00098");
  }

  @Test
  void noneHasNoPricesOnPurposeAndWarnsAboutNoModelWhileAnEmptyCardDoes() {
    assertThat(logged(() -> assertThat(RateCard.none().cost("none-model", 1000, 0, 1000)).isNull()).list).isEmpty();
    ListAppender<ILoggingEvent> appender =
        logged(() -> assertThat(RateCard.builder().build().cost("empty-card-model", 1000, 0, 1000)).isNull());
    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).singleElement()
        .satisfies(m -> assertThat(m).contains("empty-card-model"));
  }

  /** What {@code body} logs under {@code dev.llmtask.RateCard}. */
  private static ListAppender<ILoggingEvent> logged(Runnable body) {
    Logger log = (Logger) LoggerFactory.getLogger(RateCard.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    log.addAppender(appender);
    try {
      body.run();
    } finally {
      log.detachAppender(appender);
    }
    return appender;
  }

  @Test
  void aLiteLlmPriceFileGivesPerMillionRatesCacheReadsAndContextSize(@TempDir Path dir) throws IOException {
    // the shape of LiteLLM's model_prices_and_context_window.json; the numbers are made up for the test
    Path file = dir.resolve("model_prices_and_context_window.json");
    Files.writeString(file, """
        {
          "sample_spec": {"max_input_tokens": "max input tokens", "input_cost_per_token": 0.0},
          "test-model-a": {"max_input_tokens": 128000, "input_cost_per_token": 2e-06,
            "output_cost_per_token": 6e-06, "cache_read_input_token_cost": 5e-07,
            "cache_creation_input_token_cost": 2.5e-06, "litellm_provider": "openai", "mode": "chat",
            "supports_vision": true},
          "vendor/test-model-b": {"input_cost_per_token": 1e-06, "output_cost_per_token": 3e-06,
            "litellm_provider": "vendor"},
          "embedding-only": {"input_cost_per_token": 1e-07, "mode": "embedding"}
        }
        """);

    RateCard card = RateCard.fromLiteLlm(file);

    // 400 uncached * 2 + 600 cached * 0.5 + 100 output * 6 = 1700 micro-dollars
    assertThat(card.cost("test-model-a", 1000, 600, 100)).isEqualByComparingTo("0.0017");
    assertThat(card.maxInputTokens("test-model-a")).hasValue(128000);
    // 200 uncached * 2 + 600 cache reads * 0.5 + 200 cache writes * 2.5 + 100 output * 6 = 1800 micro-dollars
    assertThat(card.cost("test-model-a", 1000, 600, 200, 100)).isEqualByComparingTo("0.0018");
    // no cache-write price: writes at the input price, as before
    assertThat(card.cost("test-model-b", 1000, 0, 400, 0)).isEqualByComparingTo("0.001");
    // no cache-read price: cached input at the input price
    assertThat(card.cost("vendor/test-model-b", 1000, 500, 0)).isEqualByComparingTo("0.001");
    assertThat(card.cost("test-model-b", 1000, 0, 1000)).isEqualByComparingTo("0.004");
    assertThat(card.maxInputTokens("test-model-b")).isEmpty();
    assertThat(card.cost("sample_spec", 1, 0, 1)).isNull();
    assertThat(card.cost("embedding-only", 1, 0, 1)).isNull();
  }

  @Test
  void aFileThatIsNotAPriceFileIsANamedError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "[1, 2]");
    assertThatThrownBy(() -> RateCard.fromLiteLlm(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("prices.json").hasMessageContaining("LiteLLM");
  }

  @Test
  void negativeRatesAreRejected() {
    assertThatThrownBy(() -> RateCard.builder().model("m", new BigDecimal("-1"), BigDecimal.ONE, BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
  }
}
