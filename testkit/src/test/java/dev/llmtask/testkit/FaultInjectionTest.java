package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.anthropicBody;
import static dev.llmtask.testkit.TestHttp.json;
import static dev.llmtask.testkit.TestHttp.openAiBody;
import static dev.llmtask.testkit.TestHttp.postAnthropic;
import static dev.llmtask.testkit.TestHttp.postOpenAi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void delayIsHonouredWithoutBlockingAConcurrentRequest() throws Exception {
    sim.enqueue("draft_reply", SimulatedReply.generated().withDelay(Duration.ofMillis(1500)));
    long start = System.nanoTime();

    CompletableFuture<HttpResponse<String>> slow =
        TestHttp.CLIENT.sendAsync(
            request(anthropicBody("draft_reply", Schemas.ROTATION)),
            HttpResponse.BodyHandlers.ofString());
    awaitRequests(1);
    HttpResponse<String> fast = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    long fastMillis = (System.nanoTime() - start) / 1_000_000;
    HttpResponse<String> slowResponse = slow.get(10, TimeUnit.SECONDS);
    long slowMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(fastMillis).as("the fast request was not held up").isLessThan(1200);
    assertThat(slowResponse.statusCode()).isEqualTo(200);
    assertThat(slowMillis).isGreaterThanOrEqualTo(1500);
  }

  @Test
  void delayTripsAClientTimeout() {
    sim.enqueue(SimulatedReply.generated().withDelay(Duration.ofSeconds(5)));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
            .timeout(Duration.ofMillis(300))
            .POST(HttpRequest.BodyPublishers.ofString(openAiBody("decide_rotation", Schemas.ROTATION)))
            .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> TestHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
  }

  @Test
  void dropConnectionMakesHttpClientThrowIOException() throws Exception {
    sim.enqueue(SimulatedReply.dropConnection()).enqueue(SimulatedReply.dropConnection());

    assertThatThrownBy(() -> postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(HttpTimeoutException.class);
    assertThatThrownBy(() -> postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION)))
        .isInstanceOf(IOException.class);
    // the server is still healthy afterwards, and the dropped requests were recorded
    assertThat(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).statusCode())
        .isEqualTo(200);
    assertThat(sim.requests()).hasSize(3);
  }

  @Test
  void truncatedBodyFailsWhileReadingTheBody() {
    sim.enqueue(SimulatedReply.truncatedBody());

    assertThatThrownBy(() -> postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("content-length");
  }

  @Test
  void invalidJsonIsA200ThatIsNotJson() throws Exception {
    sim.enqueue(SimulatedReply.invalidJson());

    HttpResponse<String> response =
        postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("<html>");
    assertThatThrownBy(() -> TestHttp.MAPPER.readTree(response.body()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void closeStopsPromptlyEvenWithADelayedReplyInFlight() throws Exception {
    sim.enqueue(SimulatedReply.generated().withDelay(Duration.ofSeconds(30)));
    CompletableFuture<HttpResponse<String>> pending =
        TestHttp.CLIENT.sendAsync(
            request(anthropicBody("decide_rotation", Schemas.ROTATION)),
            HttpResponse.BodyHandlers.ofString());
    awaitRequests(1);
    long start = System.nanoTime();

    sim.close();

    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(
            () -> fresh.send(request(anthropicBody("x", Schemas.ROTATION)), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void manyConcurrentRequestsAreAllAnsweredAndRecorded() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(
          TestHttp.CLIENT.sendAsync(
              request(anthropicBody("task_" + (i % 4), Schemas.ROTATION)),
              HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture<?>[]::new)).get(20, TimeUnit.SECONDS);

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get().statusCode()).isEqualTo(200);
      assertThat(SchemaChecker.violations(Schemas.ROTATION, json(call.get().body()).at("/content/0/input")))
          .isEmpty();
    }
    assertThat(sim.requests()).hasSize(40);
    assertThat(sim.requests("task_1")).hasSize(10);
  }

  private HttpRequest request(String anthropicBody) {
    return HttpRequest.newBuilder(URI.create(sim.anthropicBaseUrl() + "/v1/messages"))
        .timeout(Duration.ofSeconds(10))
        .header("x-api-key", TestHttp.ANTHROPIC_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(anthropicBody))
        .build();
  }

  private void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sim.requests().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sim.requests()).hasSizeGreaterThanOrEqualTo(count);
  }
}
