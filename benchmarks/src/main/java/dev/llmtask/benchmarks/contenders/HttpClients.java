package dev.llmtask.benchmarks.contenders;

import java.net.http.HttpClient;
import java.time.Duration;

/** The one set of {@link HttpClient} settings every contender gets: HTTP/1.1 and llmtask's default connect timeout. */
final class HttpClients {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  static final String API_KEY = "sk-bench";

  private HttpClients() {}

  static HttpClient.Builder builder() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
  }
}
