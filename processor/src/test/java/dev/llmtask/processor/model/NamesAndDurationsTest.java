package dev.llmtask.processor.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesAndDurationsTest {

  @ParameterizedTest
  @CsvSource({
      "decideRotation, decide_rotation",
      "summarizeScan, summarize_scan",
      "draft, draft",
      "parseHTTPReply, parse_http_reply",
      "toV2Format, to_v2_format",
      "already_snake, already_snake"})
  void snakeCase(String camel, String snake) {
    assertThat(Names.snakeCase(camel)).isEqualTo(snake);
  }

  @ParameterizedTest
  @CsvSource({"20s, 20000", "1500ms, 1500", "2m, 120000", "1h, 3600000", " 5s , 5000"})
  void validDurations(String text, long millis) {
    assertThat(Durations.parseMillis(text)).hasValue(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0s", "20", "s", "1.5s", "-1s", "20 s", "PT20S", "20sec", "999999999999999999h"})
  void invalidDurations(String text) {
    assertThat(Durations.parseMillis(text)).isEmpty();
  }
}
