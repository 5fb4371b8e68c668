package dev.llmtask.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallStatus;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HttpFailuresTest {
  private static HttpHeaders headers(Map<String, String> h) {
    Map<String, List<String>> m = new java.util.HashMap<>();
    h.forEach((k, v) -> m.put(k, List.of(v)));
    return HttpHeaders.of(m, (a, b) -> true);
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}, retried={2}")
  @CsvSource({
      "400, BAD_REQUEST, false",
      "401, AUTH_ERROR, false",
      "402, QUOTA_EXHAUSTED, false",
      "403, AUTH_ERROR, false",
      "404, BAD_REQUEST, false",
      "408, TIMEOUT, true",
      "409, PROVIDER_ERROR, true",
      "413, BAD_REQUEST, false",
      "422, BAD_REQUEST, false",
      "429, RATE_LIMITED, true",
      "500, PROVIDER_ERROR, true",
      "502, PROVIDER_ERROR, true",
      "503, PROVIDER_ERROR, true",
      "504, PROVIDER_ERROR, true",
      "529, PROVIDER_ERROR, true",
      "418, PROVIDER_ERROR, false"})
  void classifiesByStatus(int status, CallStatus expected, boolean retried) {
    ProviderException e = HttpFailures.classify(status, headers(Map.of()), "t", "c", false, "req_1");
    assertThat(e.status()).isEqualTo(expected);
    assertThat(e.retryable()).isEqualTo(retried);
    assertThat(e.getMessage()).startsWith("HTTP " + status);
  }

  @Test
  void quotaIsNeverRetriedEvenOnA429WithShouldRetry() {
    ProviderException e = HttpFailures.classify(429, headers(Map.of("x-should-retry", "true", "retry-after", "1")),
        "insufficient_quota", "insufficient_quota", true, null);
    assertThat(e.status()).isEqualTo(CallStatus.QUOTA_EXHAUSTED);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void shouldRetryHeaderDecidesWhenPresent() {
    assertThat(HttpFailures.classify(503, headers(Map.of("x-should-retry", "false")), null, null, false, null).retryable()).isFalse();
    assertThat(HttpFailures.classify(400, headers(Map.of("x-should-retry", "true")), null, null, false, null).retryable()).isTrue();
  }

  @Test
  void retryAfterReadsMillisecondsSecondsAndHttpDates() {
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after-ms", "1574")))).isEqualTo(Duration.ofMillis(1574));
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after-ms", "20", "retry-after", "9")))).isEqualTo(Duration.ofMillis(20));
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after", "2")))).isEqualTo(Duration.ofSeconds(2));
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after", "1.5")))).isEqualTo(Duration.ofMillis(1500));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after", date)))).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(31));
    assertThat(HttpFailures.retryAfter(headers(Map.of("retry-after", "soon")))).isNull();
    assertThat(HttpFailures.retryAfter(headers(Map.of()))).isNull();
  }

  @Test
  void providerTextInErrorTypesIsReducedToIdentifierCharacters() {
    ProviderException e = HttpFailures.classify(400, headers(Map.of()), "bad type with \"quotes\" and spaces", null, false, null);
    assertThat(e.getMessage()).doesNotContain("\"").doesNotContain(" with ");
  }
}
