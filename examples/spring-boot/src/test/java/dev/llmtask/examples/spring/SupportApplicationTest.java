package dev.llmtask.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.TelemetrySink;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/** The example application over real HTTP, answered by its embedded simulator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "LLM_API_KEY=")
class SupportApplicationTest {
  private static final String QUESTION = "Can I rotate the stale service-account key?";
  static final List<CallRecord> RECORDS = new CopyOnWriteArrayList<>();

  @TestConfiguration(proxyBeanMethods = false)
  static class Records {
    @Bean
    TelemetrySink records() {
      return RECORDS::add;
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  LlmSimulator simulator;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void reset() {
    simulator.reset();
    RECORDS.clear();
  }

  private HttpResponse<String> decide(String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rotation-decision"))
        .header("Content-Type", "application/json").header("X-Trace-Id", "trace_acct_10234_01")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String request() {
    return "{\"question\":\"" + QUESTION + "\",\"accountId\":\"acct_10234\",\"credentialAgeDays\":120,\"keyStale\":true}";
  }

  @Test
  void aDecisionIsTheTypedRecordAsJson() throws Exception {
    HttpResponse<String> response = decide(request());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(response.body()).contains("\"decision\":\"eligible\"", "\"rotation_window_days\":30",
        "\"source_line_ids\":[\"P-7\"]");
    assertThat(simulator.requests("decide_rotation")).hasSize(1);
  }

  @Test
  void aFailedCallIsAProblemResponseWithTheNamedStatus() throws Exception {
    simulator.enqueue("decide_rotation", SimulatedReply.quotaExhausted());
    HttpResponse<String> quota = decide(request());
    assertThat(quota.statusCode()).isEqualTo(503);
    assertThat(quota.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(quota.body()).contains("\"title\":\"QUOTA_EXHAUSTED\"", "\"status_name\":\"QUOTA_EXHAUSTED\"",
        "\"trace_id\":\"trace_acct_10234_01\"", "\"type\":\"urn:llmtask:status:quota_exhausted\"", "\"status\":503")
        .doesNotContain(QUESTION).doesNotContain("P-7");

    simulator.reset(); // the plausible answer queued behind the fault was not used
    simulator.enqueue("decide_rotation", SimulatedReply.status(401));
    HttpResponse<String> auth = decide(request());
    assertThat(auth.statusCode()).isEqualTo(502);
    assertThat(auth.body()).contains("\"status_name\":\"AUTH_ERROR\"");
  }

  @Test
  void aBadRequestBodyIsA400ProblemWithoutCallingTheModel() throws Exception {
    HttpResponse<String> blank = decide(request().replace(QUESTION, " "));
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(blank.body()).contains("\"detail\":\"Invalid request content.\"");

    HttpResponse<String> unreadable = decide("{\"question\":");
    assertThat(unreadable.statusCode()).isEqualTo(400);
    assertThat(unreadable.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(simulator.requests()).isEmpty();
  }

  private HttpResponse<InputStream> draft() throws IOException, InterruptedException {
    String query = "question=" + URLEncoder.encode(QUESTION, StandardCharsets.UTF_8) + "&decision=eligible";
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/draft-reply?" + query))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void theDraftStreamsAsServerSentEvents() throws Exception {
    HttpResponse<InputStream> response = draft();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> events = body.lines().filter(l -> l.startsWith("event:")).toList();
    assertThat(events.size()).isGreaterThan(2);
    assertThat(events).endsWith("event:done").contains("event:delta");
    assertThat(body).contains("data:" + SimulatedModel.DRAFT);
    assertThat(RECORDS).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CallStatus.OK));
  }

  @Test
  void aFailedStreamEndsWithAFailedEventNamingTheStatus() throws Exception {
    simulator.enqueue("draft_reply", SimulatedReply.status(401));
    String body;
    try (InputStream in = draft().body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body.lines().filter(l -> l.startsWith("event:")).toList()).containsExactly("event:failed");
    assertThat(body).contains("\"status_name\":\"AUTH_ERROR\"").doesNotContain(QUESTION);
  }

  @Test
  void closingTheConnectionCancelsTheModelCall() throws Exception {
    simulator.enqueue("draft_reply", SimulatedReply.json("{\"value\":\"" + "A slow draft. ".repeat(40) + "\"}")
        .withChunkSize(4).withChunkDelay(Duration.ofMillis(50)));
    HttpResponse<InputStream> response = draft();
    try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = events.readLine();
      } while (line != null && !line.equals("event:delta"));
      assertThat(line).isEqualTo("event:delta");
    } // closes the connection mid-stream

    assertThat(simulator.awaitClosedStreams(1, Duration.ofSeconds(20))).as("the upstream stream was closed").isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (RECORDS.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(RECORDS).singleElement().satisfies(r -> {
      assertThat(r.task()).isEqualTo("draft_reply");
      assertThat(r.status()).isEqualTo(CallStatus.CANCELLED);
    });
  }
}
